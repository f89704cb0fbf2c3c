package org.bevt4j.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the legacy (pre-1.6, {@code _use_new_zipfile_serialization=False}) format of
 * {@code torch.save}: five pickles (magic number, protocol version 1001, system info, the object,
 * the list of storage keys) followed by each storage's little-endian int64 element count and raw
 * data, in key-list order. Every pickle goes through the restricted unpickler, so a plain pickle
 * that names a refused global is refused by name before its magic number could be checked.
 * Storage data is located by scanning the counts and read on first use.
 */
final class TorchLegacyReader {
  static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
  static final long PROTOCOL = 1001;

  private final ByteSource src;
  private final Map<String, TorchStorage> roots = new HashMap<>();
  private final Map<String, TorchStorage> views = new HashMap<>();
  private final Map<String, Long> offsets = new HashMap<>();
  private final TorchStorage.Records records;

  private TorchLegacyReader(ByteSource src) {
    this.src = src;
    this.records =
        (key, dtype, numel) -> {
          Long pos = offsets.get(key);
          if (pos == null) {
            throw new IOException("storage " + key + " is not in the file's storage list");
          }
          return src.slice(pos, Math.multiplyExact(numel, (long) dtype.bytes()));
        };
  }

  static TorchCheckpoint read(Path file, ByteSource src, PickleGlobals policy) throws IOException {
    TorchLegacyReader r = new TorchLegacyReader(src);
    RestrictedUnpickler u = new RestrictedUnpickler(policy, r::persistent);
    Object root = r.parse(u);
    return new TorchCheckpoint(file, TorchCheckpoint.Format.LEGACY, "", root, u.globals());
  }

  /** {@code torch.storage._load_from_bytes}: a legacy-format blob embedded in a pickle. */
  static Object readEmbedded(byte[] blob) {
    TorchLegacyReader r = new TorchLegacyReader(ByteSource.of(ByteBuffer.wrap(blob), "embedded storage bytes"));
    try {
      return r.parse(new RestrictedUnpickler(PickleGlobals.standard(), r::persistent));
    } catch (IOException e) {
      throw new CheckpointFormatException("embedded storage bytes: " + e.getMessage(), e);
    }
  }

  private Object parse(RestrictedUnpickler u) throws IOException {
    SourceInputStream in = src.stream(0);
    Object magic;
    try {
      magic = u.loadFrom(in);
    } catch (DisallowedGlobalException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CheckpointFormatException(
          "not a PyTorch checkpoint: neither a zip archive nor the legacy format (no pickle at its start: "
              + e.getMessage() + ")", e);
    }
    if (!MAGIC.equals(magic)) {
      throw new CheckpointFormatException(
          "not a PyTorch checkpoint: neither a zip archive nor the legacy format (the first pickle is "
              + PickleTypes.describe(magic) + ", not the legacy magic number)");
    }
    Object protocol = unpickle(u, in, "protocol version");
    if (!(protocol instanceof Number p) || p.longValue() != PROTOCOL) {
      throw new CheckpointFormatException("unsupported legacy protocol version " + protocol + " (expected " + PROTOCOL + ")");
    }
    Object sysInfo = unpickle(u, in, "system info");
    if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
      throw new CheckpointFormatException("the checkpoint was written on a big-endian machine; only little-endian is supported");
    }
    Object root = unpickle(u, in, "object");
    Object keys = unpickle(u, in, "storage key list");
    locateStorages(PickleTypes.items(keys, "storage key list"), in.position());
    return root;
  }

  private static Object unpickle(RestrictedUnpickler u, SourceInputStream in, String what) throws IOException {
    long at = in.position();
    try {
      return u.loadFrom(in);
    } catch (DisallowedGlobalException | CheckpointFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CheckpointFormatException(
          "malformed or truncated legacy " + what + " pickle at byte " + at + ": " + e.getMessage(), e);
    }
  }

  /** Scans {@code count, data} records after the key list; errors name the storage and the shortfall. */
  private void locateStorages(List<Object> keys, long start) throws IOException {
    long pos = start;
    for (Object k : keys) {
      String key = String.valueOf(k);
      TorchStorage s = roots.get(key);
      if (s == null) {
        throw new CheckpointFormatException("the storage list names " + key + ", which no tensor refers to");
      }
      if (pos + 8 > src.size()) {
        throw new CheckpointFormatException(
            "truncated: storage " + key + " should start at byte " + pos + ", but the file has " + src.size() + " bytes");
      }
      long count = src.readLong(pos);
      if (count != s.numel() || count < 0) {
        throw new CheckpointFormatException(
            "storage " + key + " records " + count + " elements where the pickle says " + s.numel());
      }
      long len = Math.multiplyExact(count, (long) s.dtype().bytes());
      if (pos + 8 + len > src.size()) {
        throw new CheckpointFormatException(
            "truncated: storage " + key + " needs bytes up to " + (pos + 8 + len) + ", but the file has " + src.size());
      }
      offsets.put(key, pos + 8);
      pos += 8 + len;
    }
    for (String key : roots.keySet()) {
      if (!offsets.containsKey(key)) {
        throw new CheckpointFormatException("storage " + key + " is used by the pickle but missing from the storage list");
      }
    }
  }

  /**
   * {@code ('storage', type, root_key, location, size, view_metadata)} with view metadata None or
   * {@code (view_key, offset, view_size)}; {@code ('module', cls, source_file, source)} gives the class.
   */
  private Object persistent(Object pid) {
    List<Object> f = PickleTypes.items(pid, "persistent id");
    String tag = f.isEmpty() ? "" : PersistentIds.typeName(f.get(0));
    if (tag.equals("module") && f.size() >= 2) {
      return f.get(1);
    }
    if (!tag.equals("storage") || f.size() != 6) {
      throw new IllegalArgumentException("unsupported persistent id " + PersistentIds.describe(f));
    }
    DType dtype = PersistentIds.storageType(f.get(1));
    String rootKey = String.valueOf(f.get(2));
    long size = PickleTypes.toLong(f.get(4), "storage size");
    TorchStorage root = roots.computeIfAbsent(
        rootKey, k -> new TorchStorage(rootKey, dtype, size, String.valueOf(f.get(3)), records));
    if (root.dtype() != dtype) {
      throw new IllegalArgumentException("storage " + rootKey + " is used as both " + root.dtype() + " and " + dtype);
    }
    if (f.get(5) == null) {
      return root;
    }
    List<Object> view = PickleTypes.items(f.get(5), "storage view");
    if (view.size() != 3) {
      throw new IllegalArgumentException("storage view metadata must have 3 fields");
    }
    String viewKey = String.valueOf(view.get(0));
    long offset = PickleTypes.toLong(view.get(1), "view offset");
    long viewSize = PickleTypes.toLong(view.get(2), "view size");
    return views.computeIfAbsent(viewKey, k -> root.view(viewKey, offset, viewSize));
  }
}
