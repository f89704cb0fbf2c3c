package org.bevt4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random-access bytes of a checkpoint: a file (read positionally, large ranges memory-mapped on
 * demand, the file opened only for the duration of each access) or an in-memory buffer.
 */
abstract class ByteSource {
  /** Ranges at least this long are memory-mapped instead of copied to the heap. */
  static final long MAP_THRESHOLD = 1 << 16;

  /** Total length in bytes. */
  abstract long size();

  /** A name for error messages (the file path). */
  abstract String describe();

  /**
   * The bytes {@code [pos, pos + len)} as a little-endian buffer positioned at 0: a slice, a
   * memory map or a heap copy. Callers must not write to it.
   */
  abstract ByteBuffer slice(long pos, long len) throws IOException;

  /** Reads a little-endian int64 at {@code pos}. */
  long readLong(long pos) throws IOException {
    return slice(pos, 8).getLong(0);
  }

  /** A buffered stream over {@code [pos, size())} that reports its position. */
  SourceInputStream stream(long pos) {
    return new SourceInputStream(this, pos, size());
  }

  void checkRange(long pos, long len) {
    if (pos < 0 || len < 0 || pos > size() - len) {
      throw new IndexOutOfBoundsException(
          "bytes [" + pos + ", " + (pos + len) + ") lie outside the " + size() + " bytes of " + describe());
    }
  }

  static ByteSource of(Path file) throws IOException {
    return new FileSource(file);
  }

  static ByteSource of(ByteBuffer buffer, String name) {
    return new BufferSource(buffer, name);
  }

  /** A file; every access opens it briefly, so no handle outlives a call. */
  private static final class FileSource extends ByteSource {
    private final Path file;
    private final long size;

    FileSource(Path file) throws IOException {
      this.file = file;
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        this.size = ch.size();
      }
    }

    @Override
    long size() {
      return size;
    }

    @Override
    String describe() {
      return file.toString();
    }

    @Override
    ByteBuffer slice(long pos, long len) throws IOException {
      checkRange(pos, len);
      if (len > Integer.MAX_VALUE) {
        throw new IOException("a single record of " + len + " bytes is larger than 2 GB");
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        if (ch.size() != size) {
          throw new IOException("the file changed size while being read (" + size + " -> " + ch.size() + " bytes)");
        }
        if (len >= MAP_THRESHOLD) {
          return ch.map(FileChannel.MapMode.READ_ONLY, pos, len).order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer b = ByteBuffer.allocate((int) len);
        while (b.hasRemaining()) {
          int n = ch.read(b, pos + b.position());
          if (n < 0) {
            throw new IOException("unexpected end of file at byte " + (pos + b.position()));
          }
        }
        return b.flip().order(ByteOrder.LITTLE_ENDIAN);
      }
    }
  }

  /** An in-memory buffer (an embedded storage blob, or test data). */
  private static final class BufferSource extends ByteSource {
    private final ByteBuffer buffer;
    private final String name;

    BufferSource(ByteBuffer buffer, String name) {
      this.buffer = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
      this.name = name;
    }

    @Override
    long size() {
      return buffer.capacity();
    }

    @Override
    String describe() {
      return name;
    }

    @Override
    ByteBuffer slice(long pos, long len) {
      checkRange(pos, len);
      return buffer.slice((int) pos, (int) len).order(ByteOrder.LITTLE_ENDIAN);
    }
  }
}
