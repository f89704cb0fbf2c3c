package org.bevt4j.io;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Helpers for the Java values of an unpickled object tree (tuples are {@code Object[]}). */
final class PickleTypes {
  private PickleTypes() {}

  /** The Python type name of a value, for error messages. */
  static String describe(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof String) {
      return "str";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
      return "int";
    }
    if (v instanceof Double || v instanceof Float) {
      return "float";
    }
    if (v instanceof Object[] t) {
      return "tuple of " + t.length;
    }
    if (v instanceof byte[]) {
      return "bytes";
    }
    if (v instanceof PyOrderedDict) {
      return "OrderedDict";
    }
    if (v instanceof Map) {
      return "dict";
    }
    if (v instanceof List) {
      return "list";
    }
    if (v instanceof Set) {
      return "set";
    }
    if (v instanceof PyObject o) {
      return o.className() + " object";
    }
    if (v instanceof PickleGlobal g) {
      return "global " + g.qualifiedName();
    }
    if (v instanceof TorchTensor) {
      return "tensor";
    }
    if (v instanceof TorchStorage) {
      return "storage";
    }
    return v.getClass().getSimpleName();
  }

  /** An exact integer as long. */
  static long toLong(Object v, String what) {
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    throw new IllegalArgumentException(what + " must be an int, found " + describe(v));
  }

  /** A tuple or list of ints as long[]. */
  static long[] toLongs(Object v, String what) {
    List<?> items;
    if (v instanceof Object[] t) {
      items = Arrays.asList(t);
    } else if (v instanceof List<?> l) {
      items = l;
    } else {
      throw new IllegalArgumentException(what + " must be a tuple of ints, found " + describe(v));
    }
    long[] out = new long[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = toLong(items.get(i), what + "[" + i + "]");
    }
    return out;
  }

  static boolean toBool(Object v, String what) {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Integer i) {
      return i != 0;
    }
    throw new IllegalArgumentException(what + " must be a bool, found " + describe(v));
  }

  /** The arguments of a tuple or list. */
  static List<Object> items(Object v, String what) {
    if (v instanceof Object[] t) {
      return Arrays.asList(t);
    }
    if (v instanceof List<?> l) {
      @SuppressWarnings("unchecked")
      List<Object> o = (List<Object>) l;
      return o;
    }
    throw new IllegalArgumentException(what + " must be a tuple, found " + describe(v));
  }
}
