package org.bevt4j.io;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, to build test checkpoints (and hostile ones) without Python. */
final class PickleBuilder {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static PickleBuilder proto2() {
    PickleBuilder b = new PickleBuilder();
    b.op(0x80).op(2);
    return b;
  }

  PickleBuilder op(int code) {
    out.write(code);
    return this;
  }

  PickleBuilder raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  PickleBuilder global(String module, String name) {
    op('c');
    raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  /** Protocol 4 form: module and name as strings, then STACK_GLOBAL. */
  PickleBuilder stackGlobal(String module, String name) {
    return str(module).str(name).op(0x93);
  }

  PickleBuilder str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    op('X');
    raw(le(b.length, 4));
    return raw(b);
  }

  PickleBuilder integer(long v) {
    if (v >= 0 && v < 256) {
      return op('K').op((int) v);
    }
    if (v >= 0 && v < 65536) {
      op('M');
      return raw(le(v, 2));
    }
    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      op('J');
      return raw(le(v, 4));
    }
    return longValue(BigInteger.valueOf(v));
  }

  /** LONG1: little-endian two's complement. */
  PickleBuilder longValue(BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] le = new byte[be.length];
    for (int i = 0; i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    op(0x8a).op(le.length);
    return raw(le);
  }

  PickleBuilder floatValue(double v) {
    op('G');
    return raw(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(v).array());
  }

  PickleBuilder none() {
    return op('N');
  }

  PickleBuilder bool(boolean b) {
    return op(b ? 0x88 : 0x89);
  }

  PickleBuilder mark() {
    return op('(');
  }

  PickleBuilder tuple() {
    return op('t');
  }

  PickleBuilder tuple1() {
    return op(0x85);
  }

  PickleBuilder tuple2() {
    return op(0x86);
  }

  PickleBuilder tuple3() {
    return op(0x87);
  }

  PickleBuilder emptyTuple() {
    return op(')');
  }

  PickleBuilder emptyDict() {
    return op('}');
  }

  PickleBuilder emptyList() {
    return op(']');
  }

  PickleBuilder setItem() {
    return op('s');
  }

  PickleBuilder setItems() {
    return op('u');
  }

  PickleBuilder appends() {
    return op('e');
  }

  PickleBuilder reduce() {
    return op('R');
  }

  PickleBuilder newObj() {
    return op(0x81);
  }

  PickleBuilder build() {
    return op('b');
  }

  PickleBuilder binPersId() {
    return op('Q');
  }

  PickleBuilder put(int memo) {
    return op('q').op(memo);
  }

  PickleBuilder get(int memo) {
    return op('h').op(memo);
  }

  PickleBuilder stop() {
    return op('.');
  }

  /** A tuple of ints. */
  PickleBuilder ints(long... values) {
    mark();
    for (long v : values) {
      integer(v);
    }
    return tuple();
  }

  /** {@code OrderedDict()} (empty). */
  PickleBuilder orderedDict() {
    return global("collections", "OrderedDict").emptyTuple().reduce();
  }

  /**
   * {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())} with the storage as
   * a persistent id; {@code legacy} adds the sixth (view) field of the legacy format.
   */
  PickleBuilder tensor(String storageType, String key, long numel, long offset, long[] size, long[] stride, boolean legacy) {
    global("torch._utils", "_rebuild_tensor_v2").mark();
    mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(numel);
    if (legacy) {
      none();
    }
    tuple().binPersId();
    integer(offset).ints(size).ints(stride).bool(false).orderedDict();
    return tuple().reduce();
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  static byte[] le(long v, int width) {
    byte[] b = new byte[width];
    for (int i = 0; i < width; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }
}
