package org.bevt4j.io;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * numpy values that checkpoints carry in their metadata: {@code numpy.dtype} descriptors, scalars
 * (decoded to Java numbers and booleans) and arrays (kept as inert {@link PyObject} records whose
 * BUILD state holds shape, dtype and raw bytes).
 */
final class NumpyValues {
  private NumpyValues() {}

  /** {@code numpy.dtype('f8', align, copy)}: an inert record; BUILD adds the byte-order state. */
  static Object dtype(PickleGlobal g, List<Object> a) {
    TorchGlobals.arity(g, a, 1, 3);
    if (!(a.get(0) instanceof String)) {
      throw new IllegalArgumentException("numpy.dtype needs a type code, found " + PickleTypes.describe(a.get(0)));
    }
    return new PyObject(new PickleGlobal("numpy", "dtype", PickleGlobal.Kind.CLASS, null, null), a);
  }

  /** {@code numpy.core.multiarray._reconstruct(ndarray, shape, typecode)}: an inert array record. */
  static Object reconstruct(PickleGlobal g, List<Object> a) {
    TorchGlobals.arity(g, a, 3, 3);
    if (!(a.get(0) instanceof PickleGlobal cls) || cls.kind() != PickleGlobal.Kind.CLASS) {
      throw new IllegalArgumentException(g.qualifiedName() + " needs an array class, found " + PickleTypes.describe(a.get(0)));
    }
    return cls.newObject(List.of());
  }

  /** {@code numpy.core.multiarray.scalar(dtype, raw bytes)}: the scalar as a Java value. */
  static Object scalar(PickleGlobal g, List<Object> a) {
    TorchGlobals.arity(g, a, 1, 2);
    if (!(a.get(0) instanceof PyObject dt) || !dt.className().equals("numpy.dtype") || dt.args().isEmpty()) {
      throw new IllegalArgumentException(g.qualifiedName() + " needs a numpy.dtype, found " + PickleTypes.describe(a.get(0)));
    }
    String code = String.valueOf(dt.args().get(0));
    if (a.size() < 2) {
      throw new IllegalArgumentException(g.qualifiedName() + " of " + code + " has no value bytes");
    }
    byte[] raw;
    if (a.get(1) instanceof byte[] b) {
      raw = b;
    } else if (a.get(1) instanceof String s) {
      raw = s.getBytes(StandardCharsets.ISO_8859_1);
    } else {
      throw new IllegalArgumentException(g.qualifiedName() + " needs bytes, found " + PickleTypes.describe(a.get(1)));
    }
    boolean big = dt.rawState() instanceof Object[] st && st.length > 1 && ">".equals(st[1]);
    ByteBuffer b = ByteBuffer.wrap(raw).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    int need = switch (code) {
      case "b1", "i1", "u1" -> 1;
      case "i2", "u2", "f2" -> 2;
      case "i4", "u4", "f4" -> 4;
      case "i8", "u8", "f8" -> 8;
      default -> throw new IllegalArgumentException("unsupported numpy scalar type " + code);
    };
    if (raw.length != need) {
      throw new IllegalArgumentException("numpy scalar " + code + " needs " + need + " bytes, found " + raw.length);
    }
    return switch (code) {
      case "b1" -> raw[0] != 0;
      case "i1" -> (long) raw[0];
      case "u1" -> (long) (raw[0] & 0xff);
      case "i2" -> (long) b.getShort();
      case "u2" -> (long) (b.getShort() & 0xffff);
      case "f2" -> (double) TensorData.halfToFloat(b.getShort());
      case "i4" -> (long) b.getInt();
      case "u4" -> b.getInt() & 0xffffffffL;
      case "f4" -> (double) b.getFloat();
      case "i8" -> b.getLong();
      case "u8" -> {
        long v = b.getLong();
        yield v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
      }
      default -> b.getDouble();
    };
  }
}
