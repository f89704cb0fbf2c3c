package org.bevt4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes small checkpoints in the two torch.save layouts, from hand-built pickles. */
final class TestCheckpoints {
  private TestCheckpoints() {}

  /** The zip layout: {@code <prefix>/data.pkl}, {@code <prefix>/data/<key>}, {@code <prefix>/version}. */
  static Path writeZip(Path file, String prefix, byte[] pickle, Map<String, byte[]> storages) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      stored(zip, prefix + "/data.pkl", pickle);
      for (Map.Entry<String, byte[]> e : storages.entrySet()) {
        stored(zip, prefix + "/data/" + e.getKey(), e.getValue());
      }
      stored(zip, prefix + "/version", "3\n".getBytes());
    }
    return file;
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  /** The legacy layout; {@code elementSizes} gives each storage's element size for its count header. */
  static Path writeLegacy(Path file, byte[] objectPickle, List<String> keys, Map<String, byte[]> storages,
      Map<String, Integer> elementSizes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PickleBuilder.proto2().longValue(TorchLegacyReader.MAGIC).stop().bytes());
    out.writeBytes(PickleBuilder.proto2().integer(1001).stop().bytes());
    out.writeBytes(
        PickleBuilder.proto2().emptyDict().mark().str("protocol_version").integer(1001).str("little_endian")
            .bool(true).setItems().stop().bytes());
    out.writeBytes(objectPickle);
    PickleBuilder list = PickleBuilder.proto2().emptyList().mark();
    keys.forEach(list::str);
    out.writeBytes(list.appends().stop().bytes());
    for (String k : keys) {
      byte[] data = storages.get(k);
      out.writeBytes(PickleBuilder.le(data.length / elementSizes.get(k), 8));
      out.writeBytes(data);
    }
    try (OutputStream os = Files.newOutputStream(file)) {
      out.writeTo(os);
    }
    return file;
  }

  static BigInteger magic() {
    return TorchLegacyReader.MAGIC;
  }
}
