package org.bevt4j.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * The {@code net.razorvine:pickle} unpickler with every way of naming or calling Python code
 * replaced: GLOBAL, STACK_GLOBAL and INST resolve names only through {@link PickleGlobals} (refusing
 * anything else by name before it could be used); REDUCE, NEWOBJ, NEWOBJ_EX, OBJ and BUILD only
 * call the Java implementations of allowed globals or record inert objects; the extension-registry
 * opcodes are refused. Constructors are per instance (the library's static registry is never used).
 * Dicts and sets keep pickle order, lengths are checked against the bytes left before allocating,
 * and persistent ids go to a caller-supplied loader (torch storages).
 */
final class RestrictedUnpickler extends Unpickler {
  private final PickleGlobals policy;
  private final Function<Object, Object> persistentLoader;
  private final Set<PickleGlobal> seen = new LinkedHashSet<>();
  private SourceInputStream in;

  RestrictedUnpickler(PickleGlobals policy, Function<Object, Object> persistentLoader) {
    this.policy = policy;
    this.persistentLoader = persistentLoader;
  }

  /** Unpickles one pickle, stopping right after its STOP opcode. */
  Object loadFrom(SourceInputStream stream) throws IOException {
    in = stream;
    memo.clear();
    return load(stream);
  }

  /** The globals the pickles referred to, in order of first use. */
  Set<PickleGlobal> globals() {
    return Collections.unmodifiableSet(seen);
  }

  @Override
  protected Object persistentLoad(Object pid) {
    return persistentLoader.apply(pid);
  }

  @Override
  protected Object dispatch(short key) throws PickleException, IOException {
    switch (key) {
      case Opcodes.GLOBAL -> {
        String module = PickleUtils.readline(input);
        String name = PickleUtils.readline(input);
        stack.add(resolve(module, name));
      }
      case Opcodes.STACK_GLOBAL -> {
        Object name = stack.pop();
        Object module = stack.pop();
        if (!(module instanceof String m) || !(name instanceof String n)) {
          throw new PickleException("STACK_GLOBAL needs two strings");
        }
        stack.add(resolve(m, n));
      }
      case Opcodes.INST -> {
        String module = PickleUtils.readline(input);
        String name = PickleUtils.readline(input);
        PickleGlobal g = resolve(module, name);
        stack.add(g.call(new ArrayList<>(stack.pop_all_since_marker())));
      }
      case Opcodes.OBJ -> {
        List<Object> items = new ArrayList<>(stack.pop_all_since_marker());
        if (items.isEmpty()) {
          throw new PickleException("OBJ without a class");
        }
        stack.add(callable(items.get(0), "OBJ").call(new ArrayList<>(items.subList(1, items.size()))));
      }
      case Opcodes.REDUCE -> {
        Object args = stack.pop();
        Object f = stack.pop();
        stack.add(callable(f, "REDUCE").call(arguments(args)));
      }
      case Opcodes.NEWOBJ -> {
        Object args = stack.pop();
        Object cls = stack.pop();
        stack.add(callable(cls, "NEWOBJ").newObject(arguments(args)));
      }
      case Opcodes.NEWOBJ_EX -> {
        Object kwargs = stack.pop();
        Object args = stack.pop();
        Object cls = stack.pop();
        if (!(kwargs instanceof Map<?, ?> kw) || !kw.isEmpty()) {
          throw new PickleException("NEWOBJ_EX with keyword arguments is not supported");
        }
        stack.add(callable(cls, "NEWOBJ_EX").newObject(arguments(args)));
      }
      case Opcodes.BUILD -> {
        Object state = stack.pop();
        build(stack.peek(), state);
      }
      case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
      case Opcodes.DICT -> {
        Map<Object, Object> d = new LinkedHashMap<>();
        putPairs(d, stack.pop_all_since_marker());
        stack.add(d);
      }
      case Opcodes.SETITEM -> {
        Object value = stack.pop();
        Object k = stack.pop();
        asMap(stack.peek()).put(k, value);
      }
      case Opcodes.SETITEMS -> {
        List<Object> items = stack.pop_all_since_marker();
        putPairs(asMap(stack.peek()), items);
      }
      case Opcodes.EMPTY_SET -> stack.add(new LinkedHashSet<>());
      case Opcodes.FROZENSET -> stack.add(new LinkedHashSet<>(stack.pop_all_since_marker()));
      case Opcodes.ADDITEMS -> {
        List<Object> items = stack.pop_all_since_marker();
        if (!(stack.peek() instanceof Set<?> s)) {
          throw new PickleException("ADDITEMS on " + PickleTypes.describe(stack.peek()));
        }
        @SuppressWarnings("unchecked")
        Set<Object> set = (Set<Object>) s;
        set.addAll(items);
      }
      case Opcodes.APPEND -> {
        Object value = stack.pop();
        asList(stack.peek()).add(value);
      }
      case Opcodes.APPENDS -> {
        List<Object> items = stack.pop_all_since_marker();
        asList(stack.peek()).addAll(items);
      }
      case Opcodes.BINUNICODE -> stack.add(new String(readCounted(4), StandardCharsets.UTF_8));
      case Opcodes.BINUNICODE8 -> stack.add(new String(readCounted(8), StandardCharsets.UTF_8));
      case Opcodes.BINBYTES -> stack.add(readCounted(4));
      case Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> stack.add(readCounted(8));
      case Opcodes.BINSTRING -> stack.add(PickleUtils.rawStringFromBytes(readCounted(4)));
      case Opcodes.LONG4 -> stack.add(PickleUtils.decode_long(readCounted(4)));
      case Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4 ->
          throw new PickleException("extension-registry opcodes (EXT1/EXT2/EXT4) name globals indirectly and are refused");
      case Opcodes.NEXT_BUFFER, Opcodes.READONLY_BUFFER ->
          throw new PickleException("out-of-band buffers (pickle protocol 5) are not supported");
      default -> {
        return super.dispatch(key);
      }
    }
    return NO_RETURN_VALUE;
  }

  private PickleGlobal resolve(String module, String name) {
    PickleGlobal g = policy.resolve(module, name);
    seen.add(g);
    return g;
  }

  private static PickleGlobal callable(Object f, String opcode) {
    if (f instanceof PickleGlobal g) {
      return g;
    }
    throw new PickleException(opcode + " on " + PickleTypes.describe(f) + ", which is not a callable global");
  }

  private static List<Object> arguments(Object args) {
    if (args instanceof Object[] t) {
      return new ArrayList<>(java.util.Arrays.asList(t));
    }
    throw new PickleException("call arguments must be a tuple, found " + PickleTypes.describe(args));
  }

  private static void build(Object target, Object state) {
    if (target instanceof PyObject o) {
      o.build(state);
    } else if (target instanceof PyOrderedDict d) {
      d.build(state);
    } else if (!(target instanceof TorchTensor)) {
      // tensors may carry Python attributes; they are not needed to read the values
      throw new PickleException("BUILD cannot set state on " + PickleTypes.describe(target));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> asMap(Object target) {
    if (target instanceof Map<?, ?> m) {
      return (Map<Object, Object>) m;
    }
    if (target instanceof PyObject o) {
      return o.dictItems();
    }
    throw new PickleException("SETITEM on " + PickleTypes.describe(target) + ", which is not a dict");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> asList(Object target) {
    if (target instanceof List<?> l) {
      return (List<Object>) l;
    }
    if (target instanceof PyObject o) {
      return o.listItems();
    }
    throw new PickleException("APPEND on " + PickleTypes.describe(target) + ", which is not a list");
  }

  private static void putPairs(Map<Object, Object> d, List<Object> items) {
    if (items.size() % 2 != 0) {
      throw new PickleException("odd number of items for a dict");
    }
    for (int i = 0; i < items.size(); i += 2) {
      d.put(items.get(i), items.get(i + 1));
    }
  }

  /** Reads a little-endian unsigned length of {@code width} bytes, then that many bytes. */
  private byte[] readCounted(int width) throws IOException {
    byte[] lb = PickleUtils.readbytes(input, width);
    long len = 0;
    for (int i = width - 1; i >= 0; i--) {
      len = (len << 8) | (lb[i] & 0xff);
    }
    long left = in == null ? Long.MAX_VALUE : in.remaining();
    if (len < 0 || len > left || len > Integer.MAX_VALUE - 16) {
      throw new PickleException("a length of " + Long.toUnsignedString(len) + " bytes runs past the end of the pickle"
          + " (" + left + " bytes left)");
    }
    return PickleUtils.readbytes(input, (int) len);
  }

}
