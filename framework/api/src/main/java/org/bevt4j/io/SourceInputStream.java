package org.bevt4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A buffered input stream over a range of a {@link ByteSource} that knows its exact position, so a
 * reader can stop at a pickle's {@code STOP} opcode and continue with the next record.
 */
final class SourceInputStream extends InputStream {
  private static final int CHUNK = 1 << 15; // below ByteSource.MAP_THRESHOLD: heap reads
  private final ByteSource source;
  private final long limit;
  private long bufferStart;
  private ByteBuffer buffer = ByteBuffer.allocate(0);

  SourceInputStream(ByteSource source, long start, long limit) {
    this.source = source;
    this.bufferStart = start;
    this.limit = limit;
  }

  /** The absolute position of the next byte. */
  long position() {
    return bufferStart + buffer.position();
  }

  /** Bytes left before the end of the range. */
  long remaining() {
    return limit - position();
  }

  private boolean fill() throws IOException {
    if (buffer.hasRemaining()) {
      return true;
    }
    long pos = position();
    if (pos >= limit) {
      return false;
    }
    int n = (int) Math.min(CHUNK, limit - pos);
    ByteBuffer next = source.slice(pos, n);
    bufferStart = pos;
    buffer = next;
    return true;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return buffer.get() & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(b, off, n);
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long k = Math.max(0, Math.min(n, remaining()));
    long target = position() + k;
    buffer = ByteBuffer.allocate(0);
    bufferStart = target;
    return k;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, buffer.remaining());
  }
}
