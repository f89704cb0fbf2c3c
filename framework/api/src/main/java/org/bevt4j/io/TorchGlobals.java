package org.bevt4j.io;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The explicitly allowed globals of checkpoint pickles and their Java implementations. None of
 * them can reach Python code, the file system or the network: each only assembles data from its
 * arguments.
 */
final class TorchGlobals {
  private TorchGlobals() {}

  /** Allowed globals by {@code module.name}. */
  static final Map<String, PickleGlobal> ALL;

  private static final String[][] STORAGES = {
    {"FloatStorage", "F32"}, {"DoubleStorage", "F64"}, {"HalfStorage", "F16"}, {"BFloat16Storage", "BF16"},
    {"LongStorage", "I64"}, {"IntStorage", "I32"}, {"ShortStorage", "I16"}, {"CharStorage", "I8"},
    {"ByteStorage", "U8"}, {"BoolStorage", "BOOL"}
  };

  private static final String[] TORCH_DTYPES = {
    "float32", "float", "float64", "double", "float16", "half", "bfloat16", "int64", "long", "int32", "int",
    "int16", "short", "int8", "uint8", "bool", "complex64", "complex128", "cfloat", "cdouble"
  };

  static {
    Map<String, PickleGlobal> m = new LinkedHashMap<>();
    // torch tensors, parameters and storages
    fn(m, "torch._utils", "_rebuild_tensor_v2", TorchGlobals::rebuildTensorV2);
    fn(m, "torch._utils", "_rebuild_tensor", TorchGlobals::rebuildTensor);
    fn(m, "torch._utils", "_rebuild_parameter", TorchGlobals::rebuildParameter);
    fn(m, "torch._utils", "_rebuild_parameter_with_state", TorchGlobals::rebuildParameter);
    fn(m, "torch._tensor", "_rebuild_from_type_v2", TorchGlobals::rebuildFromType);
    fn(m, "torch.storage", "_load_from_bytes", (g, a) -> TorchLegacyReader.readEmbedded(bytesArg(g, a)));
    for (String[] s : STORAGES) {
      DType d = DType.valueOf(s[1]);
      for (String module : List.of("torch", "torch.cuda")) {
        m.put(module + "." + s[0], new PickleGlobal(module, s[0], PickleGlobal.Kind.VALUE, null, d));
      }
    }
    m.put("torch.UntypedStorage", new PickleGlobal("torch", "UntypedStorage", PickleGlobal.Kind.VALUE, null, DType.U8));
    for (String dt : TORCH_DTYPES) {
      value(m, "torch", dt);
    }
    value(m, "torch", "Tensor");
    fn(m, "torch", "device", TorchGlobals::device);
    fn(m, "torch", "Size", (g, a) -> a.isEmpty() ? new Object[0] : PickleTypes.items(a.get(0), "torch.Size").toArray());
    // plain Python containers
    for (String b : List.of("builtins", "__builtin__")) {
      fn(m, b, "set", TorchGlobals::set);
      fn(m, b, "frozenset", TorchGlobals::set);
      fn(m, b, "bytearray", TorchGlobals::bytes);
      for (String t : List.of("object", "list", "dict", "tuple", "int", "float", "str", "bool", "bytes")) {
        value(m, b, t);
      }
    }
    fn(m, "collections", "OrderedDict", TorchGlobals::orderedDict);
    fn(m, "collections", "defaultdict", (g, a) -> new LinkedHashMap<Object, Object>());
    fn(m, "_codecs", "encode", TorchGlobals::encode);
    for (String dt : List.of("datetime", "date", "time", "timedelta", "timezone")) {
      m.put("datetime." + dt, new PickleGlobal("datetime", dt, PickleGlobal.Kind.CLASS, null, null));
    }
    for (String r : List.of("copy_reg", "copyreg")) {
      fn(m, r, "_reconstructor", TorchGlobals::reconstructor);
    }
    // numpy scalars (e.g. a best score in checkpoint metadata); arrays are kept as inert records
    for (String np : List.of("numpy.core.multiarray", "numpy._core.multiarray")) {
      fn(m, np, "scalar", NumpyValues::scalar);
      fn(m, np, "_reconstruct", NumpyValues::reconstruct);
    }
    fn(m, "numpy", "dtype", NumpyValues::dtype);
    m.put("numpy.ndarray", new PickleGlobal("numpy", "ndarray", PickleGlobal.Kind.CLASS, null, null));
    ALL = Collections.unmodifiableMap(m);
  }

  private static void fn(Map<String, PickleGlobal> m, String module, String name, PickleGlobal.Impl impl) {
    m.put(module + "." + name, new PickleGlobal(module, name, PickleGlobal.Kind.FUNCTION, impl, null));
  }

  private static void value(Map<String, PickleGlobal> m, String module, String name) {
    m.put(module + "." + name, new PickleGlobal(module, name, PickleGlobal.Kind.VALUE, null, null));
  }

  static void arity(PickleGlobal g, List<Object> a, int min, int max) {
    if (a.size() < min || a.size() > max) {
      throw new IllegalArgumentException(
          g.qualifiedName() + " takes " + (min == max ? min : min + " to " + max) + " arguments, the pickle gives "
              + a.size());
    }
  }

  private static TorchTensor tensorOf(PickleGlobal g, Object storage, Object offset, Object size, Object stride,
      Object grad) {
    if (!(storage instanceof TorchStorage s)) {
      throw new IllegalArgumentException(
          g.qualifiedName() + ": the first argument must be a storage, found " + PickleTypes.describe(storage));
    }
    return new TorchTensor(
        s,
        PickleTypes.toLong(offset, "storage_offset"),
        PickleTypes.toLongs(size, "size"),
        PickleTypes.toLongs(stride, "stride"),
        grad != null && PickleTypes.toBool(grad, "requires_grad"),
        false);
  }

  /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
  private static Object rebuildTensorV2(PickleGlobal g, List<Object> a) {
    arity(g, a, 6, 7);
    return tensorOf(g, a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
  }

  /** {@code _rebuild_tensor(storage, offset, size, stride)} (older files). */
  private static Object rebuildTensor(PickleGlobal g, List<Object> a) {
    arity(g, a, 4, 4);
    return tensorOf(g, a.get(0), a.get(1), a.get(2), a.get(3), null);
  }

  /** {@code _rebuild_parameter(data, requires_grad, backward_hooks[, state])}: the tensor, marked as a parameter. */
  private static Object rebuildParameter(PickleGlobal g, List<Object> a) {
    arity(g, a, 3, 4);
    if (!(a.get(0) instanceof TorchTensor t)) {
      throw new IllegalArgumentException(
          g.qualifiedName() + ": the first argument must be a tensor, found " + PickleTypes.describe(a.get(0)));
    }
    return t.asParameter(PickleTypes.toBool(a.get(1), "requires_grad"));
  }

  /** {@code _rebuild_from_type_v2(func, type, args, state)}: applies an allowed rebuild function. */
  private static Object rebuildFromType(PickleGlobal g, List<Object> a) {
    arity(g, a, 4, 4);
    if (!(a.get(0) instanceof PickleGlobal func) || func.kind() != PickleGlobal.Kind.FUNCTION) {
      throw new IllegalArgumentException(
          g.qualifiedName() + ": the first argument must be an allowed function, found " + PickleTypes.describe(a.get(0)));
    }
    return func.call(PickleTypes.items(a.get(2), "args"));
  }

  /** {@code torch.device('cpu')} or {@code ('cuda', 0)}: the device name. */
  private static Object device(PickleGlobal g, List<Object> a) {
    arity(g, a, 1, 2);
    String type = String.valueOf(a.get(0));
    return a.size() == 2 && a.get(1) != null ? type + ":" + a.get(1) : type;
  }

  private static Object set(PickleGlobal g, List<Object> a) {
    arity(g, a, 0, 1);
    Set<Object> out = new LinkedHashSet<>();
    if (!a.isEmpty()) {
      out.addAll(iterable(g, a.get(0)));
    }
    return out;
  }

  private static Collection<?> iterable(PickleGlobal g, Object v) {
    if (v instanceof Object[] t) {
      return List.of(t);
    }
    if (v instanceof Collection<?> c) {
      return c;
    }
    throw new IllegalArgumentException(g.qualifiedName() + " needs a list, found " + PickleTypes.describe(v));
  }

  /** {@code bytearray()}, {@code bytearray(b'..')}, {@code bytearray('..', 'latin-1')}, {@code bytearray([ints])}. */
  private static Object bytes(PickleGlobal g, List<Object> a) {
    arity(g, a, 0, 2);
    if (a.isEmpty()) {
      return new byte[0];
    }
    Object v = a.get(0);
    if (v instanceof byte[] b) {
      return b.clone();
    }
    if (v instanceof String s && a.size() == 2) {
      return s.getBytes(charset(g, a.get(1)));
    }
    if (v instanceof List<?> l) {
      byte[] out = new byte[l.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = (byte) PickleTypes.toLong(l.get(i), "byte");
      }
      return out;
    }
    throw new IllegalArgumentException(g.qualifiedName() + " cannot take " + PickleTypes.describe(v));
  }

  /** {@code _codecs.encode(text, 'latin1')}: how protocol 2 pickles Python 3 {@code bytes}. */
  private static Object encode(PickleGlobal g, List<Object> a) {
    arity(g, a, 1, 2);
    if (!(a.get(0) instanceof String s)) {
      throw new IllegalArgumentException(g.qualifiedName() + " needs a str, found " + PickleTypes.describe(a.get(0)));
    }
    return s.getBytes(a.size() == 2 ? charset(g, a.get(1)) : StandardCharsets.UTF_8);
  }

  private static Charset charset(PickleGlobal g, Object name) {
    String n = String.valueOf(name).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    return switch (n) {
      case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1" -> StandardCharsets.ISO_8859_1;
      case "utf-8", "utf8" -> StandardCharsets.UTF_8;
      case "ascii", "us-ascii" -> StandardCharsets.US_ASCII;
      default -> throw new IllegalArgumentException(g.qualifiedName() + ": unsupported encoding " + name);
    };
  }

  private static byte[] bytesArg(PickleGlobal g, List<Object> a) {
    arity(g, a, 1, 1);
    if (!(a.get(0) instanceof byte[] b)) {
      throw new IllegalArgumentException(g.qualifiedName() + " needs bytes, found " + PickleTypes.describe(a.get(0)));
    }
    return b;
  }

  /** {@code OrderedDict()} or {@code OrderedDict([(k, v), ...])}. */
  private static Object orderedDict(PickleGlobal g, List<Object> a) {
    arity(g, a, 0, 1);
    PyOrderedDict d = new PyOrderedDict();
    if (!a.isEmpty() && a.get(0) != null) {
      Object init = a.get(0);
      if (init instanceof Map<?, ?> src) {
        d.putAll(src);
      } else {
        for (Object pair : iterable(g, init)) {
          List<Object> kv = PickleTypes.items(pair, "OrderedDict item");
          if (kv.size() != 2) {
            throw new IllegalArgumentException("OrderedDict items must be pairs");
          }
          d.put(kv.get(0), kv.get(1));
        }
      }
    }
    return d;
  }

  /** {@code copy_reg._reconstructor(cls, object, None)}: protocol 0/1 form of {@code cls.__new__(cls)}. */
  private static Object reconstructor(PickleGlobal g, List<Object> a) {
    arity(g, a, 3, 3);
    if (!(a.get(0) instanceof PickleGlobal cls) || cls.kind() != PickleGlobal.Kind.CLASS) {
      throw new IllegalArgumentException(
          g.qualifiedName() + ": the first argument must be an allowed class, found " + PickleTypes.describe(a.get(0)));
    }
    if (!(a.get(1) instanceof PickleGlobal base) || !base.name().equals("object") || a.get(2) != null) {
      throw new IllegalArgumentException(g.qualifiedName() + ": only plain objects (base 'object') are supported");
    }
    return cls.newObject(new ArrayList<>());
  }
}
