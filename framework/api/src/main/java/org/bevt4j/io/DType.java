package org.bevt4j.io;

import ai.djl.ndarray.types.DataType;

/** Element types of stored tensors, with safetensors names and sizes. */
public enum DType {
  F64(8, DataType.FLOAT64),
  F32(4, DataType.FLOAT32),
  F16(2, DataType.FLOAT16),
  BF16(2, null),
  I64(8, DataType.INT64),
  I32(4, DataType.INT32),
  I16(2, null),
  I8(1, DataType.INT8),
  U8(1, DataType.UINT8),
  BOOL(1, DataType.BOOLEAN);

  private final int bytes;
  private final DataType djl;

  DType(int bytes, DataType djl) {
    this.bytes = bytes;
    this.djl = djl;
  }

  public int bytes() {
    return bytes;
  }

  public boolean isFloating() {
    return this == F64 || this == F32 || this == F16 || this == BF16;
  }

  /** The DJL type, or null when DJL cannot hold it natively (BF16, I16: widened on load). */
  public DataType djl() {
    return djl;
  }

  /** Parses a safetensors dtype name. */
  public static DType fromSafetensors(String name) {
    for (DType d : values()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unsupported dtype " + name);
  }

  /** The type for a DJL data type. */
  public static DType of(DataType t) {
    for (DType d : values()) {
      if (d.djl == t) {
        return d;
      }
    }
    throw new IllegalArgumentException("unsupported data type " + t);
  }
}
