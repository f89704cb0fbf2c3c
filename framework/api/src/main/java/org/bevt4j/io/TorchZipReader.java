package org.bevt4j.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the zip format of {@code torch.save} (PyTorch 1.6 and later): {@code <prefix>/data.pkl} is
 * the pickled object, {@code <prefix>/data/<key>} the raw little-endian bytes of each storage, and
 * the optional {@code <prefix>/byteorder} says {@code little} or {@code big}. The prefix is whatever
 * folder holds the single {@code data.pkl}; other records ({@code version}, {@code .data/...}) are
 * ignored. Storage records are located when the archive is opened and read on first use.
 */
final class TorchZipReader {
  private TorchZipReader() {}

  static TorchCheckpoint read(Path file, ByteSource src, PickleGlobals policy) throws IOException {
    ZipArchive zip = ZipArchive.open(src);
    List<String> pickles = new ArrayList<>();
    for (String name : zip.entries().keySet()) {
      if (name.equals("data.pkl") || (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - 9)) {
        pickles.add(name);
      }
    }
    if (pickles.size() != 1) {
      List<String> some = new ArrayList<>(zip.entries().keySet()).subList(0, Math.min(8, zip.entries().size()));
      throw new CheckpointFormatException(
          (pickles.isEmpty() ? "a zip archive without a top-level <folder>/data.pkl record"
              : "a zip archive with several data.pkl records " + pickles)
              + ", so not a PyTorch checkpoint (entries: " + some + (zip.entries().size() > 8 ? " ..." : "") + ")");
    }
    String pklName = pickles.get(0);
    String prefix = pklName.substring(0, pklName.length() - "data.pkl".length());
    ZipArchive.Entry order = zip.find(prefix + "byteorder");
    if (order != null) {
      var b = zip.read(order, true);
      byte[] text = new byte[b.remaining()];
      b.get(text);
      String byteOrder = new String(text, StandardCharsets.US_ASCII).trim();
      if (!byteOrder.equals("little")) {
        throw new CheckpointFormatException("storages are stored in '" + byteOrder + "' byte order; only little-endian is supported");
      }
    }
    TorchStorage.Records records =
        (key, dtype, numel) -> {
          ZipArchive.Entry e = zip.find(prefix + "data/" + key);
          if (e == null) {
            throw new IOException("the archive has no storage record " + prefix + "data/" + key);
          }
          return zip.read(e, false);
        };
    Map<String, TorchStorage> storages = new HashMap<>();
    RestrictedUnpickler u = new RestrictedUnpickler(policy, pid -> storage(pid, storages, records));
    Object root;
    try {
      root = u.loadFrom(ByteSource.of(zip.read(zip.find(pklName), true), pklName).stream(0));
    } catch (DisallowedGlobalException | ZipArchive.CorruptArchiveException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CheckpointFormatException("malformed pickle " + pklName + ": " + e.getMessage(), e);
    }
    return new TorchCheckpoint(file, TorchCheckpoint.Format.ZIP, prefix, root, u.globals());
  }

  /** Resolves {@code ('storage', storage_type, key, location, numel)}; one object per key and dtype. */
  private static Object storage(Object pid, Map<String, TorchStorage> cache, TorchStorage.Records records) {
    List<Object> f = PickleTypes.items(pid, "persistent id");
    if (f.size() != 5 || !"storage".equals(PersistentIds.typeName(f.get(0)))) {
      throw new IllegalArgumentException("unsupported persistent id " + PersistentIds.describe(f));
    }
    DType dtype = PersistentIds.storageType(f.get(1));
    String key = String.valueOf(f.get(2));
    long numel = PickleTypes.toLong(f.get(4), "storage numel");
    return cache.computeIfAbsent(
        key + "/" + dtype, k -> new TorchStorage(key, dtype, numel, String.valueOf(f.get(3)), records));
  }
}
