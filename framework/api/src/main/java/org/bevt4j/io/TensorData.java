package org.bevt4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A stored tensor outside any engine: dtype, shape and little-endian row-major bytes (often a slice of
 * a memory-mapped file). Conversions widen F16/BF16 to F32 in Java, so BF16 never reaches libtorch
 * (which aborts the JVM on BF16 through DJL 0.35.1).
 */
public final class TensorData {
  private final DType dtype;
  private final long[] shape;
  private final ByteBuffer data;

  public TensorData(DType dtype, long[] shape, ByteBuffer data) {
    this.dtype = dtype;
    this.shape = shape.clone();
    long n = numel(shape);
    if ((long) data.remaining() != n * dtype.bytes()) {
      throw new IllegalArgumentException(
          "tensor " + dtype + Arrays.toString(shape) + " needs " + n * dtype.bytes() + " bytes, got " + data.remaining());
    }
    this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  public static long numel(long[] shape) {
    long n = 1;
    for (long s : shape) {
      n = Math.multiplyExact(n, s);
    }
    return n;
  }

  /** A float32 tensor from values. */
  public static TensorData ofFloats(float[] values, long... shape) {
    ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bb.asFloatBuffer().put(values);
    return new TensorData(DType.F32, shape, bb);
  }

  /** An int64 tensor from values. */
  public static TensorData ofLongs(long[] values, long... shape) {
    ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    bb.asLongBuffer().put(values);
    return new TensorData(DType.I64, shape, bb);
  }

  /** Copies an NDArray to host memory (keeps its dtype). */
  public static TensorData of(NDArray array) {
    DType d = DType.of(array.getDataType());
    ByteBuffer src = array.toByteBuffer(false);
    ByteBuffer copy = ByteBuffer.allocate(src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    copy.put(src.duplicate().order(src.order()));
    copy.flip();
    return new TensorData(d, array.getShape().getShape(), copy);
  }

  public DType dtype() {
    return dtype;
  }

  public long[] shape() {
    return shape.clone();
  }

  public Shape djlShape() {
    return new Shape(shape);
  }

  public long numel() {
    return numel(shape);
  }

  /** The raw little-endian bytes (a read-only view positioned at 0). */
  public ByteBuffer bytes() {
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Values widened to float32 (F64 narrowed; integer and bool types converted). */
  public float[] toFloats() {
    int n = Math.toIntExact(numel());
    float[] out = new float[n];
    ByteBuffer b = bytes();
    switch (dtype) {
      case F32 -> b.asFloatBuffer().get(out);
      case F64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = (float) b.getDouble(i * 8);
        }
      }
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = halfToFloat(b.getShort(i * 2));
        }
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
        }
      }
      case I64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getLong(i * 8);
        }
      }
      case I32 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getInt(i * 4);
        }
      }
      case I16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getShort(i * 2);
        }
      }
      case I8 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get(i);
        }
      }
      case U8, BOOL -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get(i) & 0xff;
        }
      }
      default -> throw new IllegalStateException(dtype.name());
    }
    return out;
  }

  /** Values as int64 (integer and bool types; floating types are truncated). */
  public long[] toLongs() {
    int n = Math.toIntExact(numel());
    long[] out = new long[n];
    ByteBuffer b = bytes();
    switch (dtype) {
      case I64 -> b.asLongBuffer().get(out);
      case I32 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getInt(i * 4);
        }
      }
      case I16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getShort(i * 2);
        }
      }
      case I8 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get(i);
        }
      }
      case U8, BOOL -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get(i) & 0xff;
        }
      }
      default -> {
        float[] f = toFloats();
        for (int i = 0; i < n; i++) {
          out[i] = (long) f[i];
        }
      }
    }
    return out;
  }

  /**
   * An NDArray with the stored values. BF16 and I16 are widened (to F32 and I32); every other type is
   * kept. The array owns a private copy of the bytes.
   */
  public NDArray toNDArray(NDManager manager) {
    if (dtype == DType.BF16) {
      return manager.create(toFloats(), djlShape());
    }
    if (dtype == DType.I16) {
      float[] f = toFloats();
      int[] v = new int[f.length];
      for (int i = 0; i < f.length; i++) {
        v[i] = (int) f[i];
      }
      return manager.create(v, djlShape());
    }
    ByteBuffer direct = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
    direct.put(bytes());
    direct.flip();
    DataType t = dtype.djl();
    return manager.create(direct, djlShape(), t);
  }

  /** An NDArray widened (or narrowed) to float32. */
  public NDArray toFloat32(NDManager manager) {
    if (dtype == DType.F32) {
      return toNDArray(manager);
    }
    return manager.create(toFloats(), djlShape());
  }

  /** Whether dtype, shape and bytes are identical. */
  public boolean bitEquals(TensorData o) {
    return dtype == o.dtype && Arrays.equals(shape, o.shape) && bytes().equals(o.bytes());
  }

  @Override
  public String toString() {
    return dtype + Arrays.toString(shape);
  }

  /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
  public static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      // subnormal: normalise
      float v = mant * 5.9604645e-8f; // 2^-24
      return sign != 0 ? -v : v;
    }
    if (exp == 31) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
