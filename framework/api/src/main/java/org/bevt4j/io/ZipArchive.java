package org.bevt4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A minimal reader of the zip container that {@code torch.save} writes: the central directory
 * (with zip64 records) is parsed up front, entry data is located through each local header and
 * read only when asked for. Stored entries (PyTorch writes nothing else) are returned as slices or
 * memory maps of the file without copying; deflated entries are inflated. Every structural problem
 * is reported as a truncated or corrupt archive.
 */
final class ZipArchive {
  private static final int EOCD_SIG = 0x06054b50;
  private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
  private static final int ZIP64_EOCD_SIG = 0x06064b50;
  private static final int CENTRAL_SIG = 0x02014b50;
  private static final int LOCAL_SIG = 0x04034b50;
  private static final int EOCD_MIN = 22;

  /** One member of the archive. */
  record Entry(String name, int method, long compressedSize, long size, long localHeaderOffset, long crc) {}

  private final ByteSource source;
  private final Map<String, Entry> entries;

  private ZipArchive(ByteSource source, Map<String, Entry> entries) {
    this.source = source;
    this.entries = entries;
  }

  /** Whether the bytes start like a zip archive. */
  static boolean looksLikeZip(ByteBuffer head) {
    return head.remaining() >= 4
        && head.get(0) == 'P'
        && head.get(1) == 'K'
        && ((head.get(2) == 3 && head.get(3) == 4) || (head.get(2) == 5 && head.get(3) == 6));
  }

  /** Parses the central directory; a missing or inconsistent one is a {@link CorruptArchiveException}. */
  static ZipArchive open(ByteSource source) throws IOException {
    long size = source.size();
    if (size < EOCD_MIN) {
      throw corrupt("only " + size + " bytes, too short for a zip archive");
    }
    int tail = (int) Math.min(size, EOCD_MIN + 0xffffL);
    ByteBuffer end = source.slice(size - tail, tail);
    int eocd = -1;
    for (int i = tail - EOCD_MIN; i >= 0; i--) {
      if (end.getInt(i) == EOCD_SIG && i + EOCD_MIN + (end.getShort(i + 20) & 0xffff) <= tail) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      throw corrupt("no zip end-of-central-directory record (the file is truncated or not a complete archive)");
    }
    long eocdPos = size - tail + eocd;
    long count = end.getShort(eocd + 10) & 0xffffL;
    long cdSize = end.getInt(eocd + 12) & 0xffffffffL;
    long cdOffset = end.getInt(eocd + 16) & 0xffffffffL;
    if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
      long locPos = eocdPos - 20;
      if (locPos < 0 || source.slice(locPos, 20).getInt(0) != ZIP64_LOCATOR_SIG) {
        throw corrupt("zip64 sizes without a zip64 end-of-central-directory locator");
      }
      long z64Pos = source.slice(locPos, 20).getLong(8);
      if (z64Pos < 0 || z64Pos > locPos - 56) {
        throw corrupt("zip64 end-of-central-directory record at " + z64Pos + " lies outside the file");
      }
      ByteBuffer z = source.slice(z64Pos, 56);
      if (z.getInt(0) != ZIP64_EOCD_SIG) {
        throw corrupt("bad zip64 end-of-central-directory signature");
      }
      count = z.getLong(32);
      cdSize = z.getLong(40);
      cdOffset = z.getLong(48);
    }
    if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > eocdPos || count < 0 || count > cdSize / 46 + 1) {
      throw corrupt(
          "central directory [" + cdOffset + ", +" + cdSize + ") with " + count + " entries is inconsistent with a "
              + size + "-byte file (truncated?)");
    }
    return new ZipArchive(source, readCentralDirectory(source.slice(cdOffset, cdSize), count, size));
  }

  private static Map<String, Entry> readCentralDirectory(ByteBuffer cd, long count, long fileSize) {
    Map<String, Entry> out = new LinkedHashMap<>();
    int p = 0;
    for (long i = 0; i < count; i++) {
      if (p + 46 > cd.limit() || cd.getInt(p) != CENTRAL_SIG) {
        throw corrupt("central directory entry " + i + " is damaged");
      }
      int method = cd.getShort(p + 10) & 0xffff;
      long crc = cd.getInt(p + 16) & 0xffffffffL;
      long comp = cd.getInt(p + 20) & 0xffffffffL;
      long size = cd.getInt(p + 24) & 0xffffffffL;
      int nameLen = cd.getShort(p + 28) & 0xffff;
      int extraLen = cd.getShort(p + 30) & 0xffff;
      int commentLen = cd.getShort(p + 32) & 0xffff;
      long local = cd.getInt(p + 42) & 0xffffffffL;
      if (p + 46 + nameLen + extraLen + commentLen > cd.limit()) {
        throw corrupt("central directory entry " + i + " runs past the directory");
      }
      byte[] nameBytes = new byte[nameLen];
      cd.get(p + 46, nameBytes);
      String name = new String(nameBytes, StandardCharsets.UTF_8);
      int e = p + 46 + nameLen;
      int extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        int id = cd.getShort(e) & 0xffff;
        int len = cd.getShort(e + 2) & 0xffff;
        int q = e + 4;
        if (id == 0x0001) {
          if (size == 0xffffffffL && q + 8 <= e + 4 + len) {
            size = cd.getLong(q);
            q += 8;
          }
          if (comp == 0xffffffffL && q + 8 <= e + 4 + len) {
            comp = cd.getLong(q);
            q += 8;
          }
          if (local == 0xffffffffL && q + 8 <= e + 4 + len) {
            local = cd.getLong(q);
          }
        }
        e += 4 + len;
      }
      if (local < 0 || comp < 0 || size < 0 || local + 30 > fileSize) {
        throw corrupt("entry \"" + name + "\" points outside the file");
      }
      out.put(name, new Entry(name, method, comp, size, local, crc));
      p += 46 + nameLen + extraLen + commentLen;
    }
    return Collections.unmodifiableMap(out);
  }

  /** All entries, in central-directory order. */
  Map<String, Entry> entries() {
    return entries;
  }

  Entry find(String name) {
    return entries.get(name);
  }

  /** The entry's uncompressed bytes (a view of the file for stored entries). */
  ByteBuffer read(Entry entry, boolean verifyCrc) throws IOException {
    ByteBuffer local = source.slice(entry.localHeaderOffset(), 30);
    if (local.getInt(0) != LOCAL_SIG) {
      throw corrupt("entry \"" + entry.name() + "\" has no local header at offset " + entry.localHeaderOffset());
    }
    long dataPos =
        entry.localHeaderOffset() + 30 + (local.getShort(26) & 0xffff) + (local.getShort(28) & 0xffff);
    if (dataPos + entry.compressedSize() > source.size()) {
      throw corrupt(
          "entry \"" + entry.name() + "\" needs bytes up to " + (dataPos + entry.compressedSize()) + " but the file has "
              + source.size() + " (truncated?)");
    }
    ByteBuffer data;
    if (entry.method() == 0) {
      if (entry.size() != entry.compressedSize()) {
        throw corrupt("stored entry \"" + entry.name() + "\" has different stored and real sizes");
      }
      data = source.slice(dataPos, entry.size());
    } else if (entry.method() == 8) {
      data = inflate(entry, source.slice(dataPos, entry.compressedSize()));
    } else {
      throw corrupt("entry \"" + entry.name() + "\" uses unsupported zip compression method " + entry.method());
    }
    if (verifyCrc) {
      CRC32 crc = new CRC32();
      crc.update(data.duplicate());
      if (crc.getValue() != entry.crc()) {
        throw corrupt("entry \"" + entry.name() + "\" fails its CRC check (corrupt data)");
      }
    }
    return data.order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer inflate(Entry entry, ByteBuffer compressed) {
    if (entry.size() > Integer.MAX_VALUE) {
      throw corrupt("compressed entry \"" + entry.name() + "\" is larger than 2 GB");
    }
    Inflater inf = new Inflater(true);
    try {
      inf.setInput(compressed);
      ByteBuffer out = ByteBuffer.allocate((int) entry.size());
      while (out.hasRemaining()) {
        int n = inf.inflate(out);
        if (n == 0 && (inf.finished() || inf.needsInput() || inf.needsDictionary())) {
          break;
        }
      }
      if (out.hasRemaining()) {
        throw corrupt("compressed entry \"" + entry.name() + "\" ends early");
      }
      return out.flip();
    } catch (DataFormatException e) {
      throw corrupt("compressed entry \"" + entry.name() + "\" is corrupt: " + e.getMessage());
    } finally {
      inf.end();
    }
  }

  static CorruptArchiveException corrupt(String what) {
    return new CorruptArchiveException("truncated or corrupt zip archive: " + what);
  }

  /** A structural zip problem; the caller adds the file name. */
  static final class CorruptArchiveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CorruptArchiveException(String message) {
      super(message);
    }
  }
}
