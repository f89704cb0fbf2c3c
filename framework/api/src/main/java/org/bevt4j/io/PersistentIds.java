package org.bevt4j.io;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Parsing helpers for torch's storage persistent ids. */
final class PersistentIds {
  private PersistentIds() {}

  /** The id's type tag ({@code storage}, {@code module}); Python 2 files give it as bytes. */
  static String typeName(Object tag) {
    if (tag instanceof byte[] b) {
      return new String(b, StandardCharsets.US_ASCII);
    }
    return String.valueOf(tag);
  }

  /** The element type of a storage class global such as {@code torch.FloatStorage}. */
  static DType storageType(Object type) {
    if (type instanceof PickleGlobal g && g.storageDType() != null) {
      return g.storageDType();
    }
    throw new IllegalArgumentException(
        "unsupported storage type " + PickleTypes.describe(type)
            + " (supported: Float, Double, Half, BFloat16, Long, Int, Short, Char, Byte and Bool storages)");
  }

  static String describe(List<Object> fields) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < fields.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(PickleTypes.describe(fields.get(i)));
    }
    return sb.append(')').toString();
  }
}
