package org.bevt4j.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the model tensors inside a checkpoint's object tree, keeping the pickle's key order.
 *
 * <p>Search order, from the root object:
 *
 * <ol>
 *   <li>a pickled {@code nn.Module} (an object whose state has {@code _parameters} or
 *       {@code _modules}): walked like {@code module.state_dict()}: at each module its
 *       {@code _parameters}, then its {@code _buffers} except {@code _non_persistent_buffers_set},
 *       then each child of {@code _modules} (None entries skipped), names joined with dots;
 *   <li>a dict whose values are all tensors (or None): the state dict itself;
 *   <li>a dict with one of the container keys {@link #CONTAINER_KEYS}, tried in that order, whose
 *       value (searched again by these rules, up to {@value #MAX_NESTING} levels) holds tensors, e.g.
 *       mmcv's {@code state_dict}, SlowFast's {@code model_state}, BEiT's {@code model};
 *   <li>otherwise, the dict's own tensors plus every tensor dict or module among its values,
 *       flattened as {@code key.name}, except entries whose key looks like training state or
 *       metadata ({@link #NON_WEIGHT_KEY}: optimizer, scheduler, scaler, meta, args, config, ...).
 * </ol>
 *
 * Inside the chosen container, nested dicts and modules are flattened with dotted names, and
 * non-tensor values are skipped. So an mmaction {@code {meta, state_dict, optimizer}} gives exactly
 * the {@code state_dict} entries, never optimizer buffers.
 */
public final class StateDictLocator {
  /** Container keys, in order of preference (the plain weights before EMA copies). */
  public static final List<String> CONTAINER_KEYS =
      List.of(
          "state_dict", "model_state", "model_state_dict", "model", "module", "net", "network", "params",
          "weights", "state_dict_ema", "model_ema", "ema", "params_ema");

  /** Top-level keys never taken as weights by the fallback rule. */
  public static final Pattern NON_WEIGHT_KEY =
      Pattern.compile("(?i).*(optim|sched|scaler|meta|args|cfg|config|hparam|hyper_param|callback|loops|epoch|step|iter).*");

  static final int MAX_NESTING = 3;

  private StateDictLocator() {}

  /** The tensors found and the path of their container ({@code <root>}, {@code state_dict}, ...). */
  public record Located(String container, Map<String, TorchTensor> tensors) {}

  /** Applies the search order; null when no tensors are found. */
  public static Located locate(Object root) {
    return locate(root, "", 0);
  }

  private static Located locate(Object node, String path, int depth) {
    if (node instanceof PyObject o && isModule(o)) {
      Map<String, TorchTensor> out = new LinkedHashMap<>();
      walkModule(o, "", out, Collections.newSetFromMap(new IdentityHashMap<>()));
      return out.isEmpty() ? null : new Located(path.isEmpty() ? "<module>" : path, out);
    }
    if (!(node instanceof Map<?, ?> m)) {
      return null;
    }
    if (isTensorMap(m)) {
      Map<String, TorchTensor> out = new LinkedHashMap<>();
      flatten(m, "", out, Collections.newSetFromMap(new IdentityHashMap<>()));
      return new Located(path.isEmpty() ? "<root>" : path, out);
    }
    if (depth < MAX_NESTING) {
      for (String key : CONTAINER_KEYS) {
        if (m.containsKey(key)) {
          Located found = locate(m.get(key), join(path, key), depth + 1);
          if (found != null && !found.tensors().isEmpty()) {
            return found;
          }
        }
      }
    }
    Map<String, TorchTensor> out = new LinkedHashMap<>();
    List<String> used = new ArrayList<>();
    Set<Object> visiting = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String k) || NON_WEIGHT_KEY.matcher(k).matches()) {
        continue;
      }
      Object v = e.getValue();
      if (v instanceof TorchTensor t) {
        put(out, k, t);
        used.add(k);
      } else if ((v instanceof Map<?, ?> sub && isTensorMap(sub)) || (v instanceof PyObject o && isModule(o))) {
        flattenValue(v, k, out, visiting);
        used.add(k + ".*");
      }
    }
    if (out.isEmpty()) {
      return null;
    }
    return new Located(join(path, used.size() == 1 ? used.get(0) : used.toString()), out);
  }

  /** Whether every value is a tensor or None, with string keys and at least one tensor. */
  static boolean isTensorMap(Map<?, ?> m) {
    boolean any = false;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String)) {
        return false;
      }
      if (e.getValue() instanceof TorchTensor) {
        any = true;
      } else if (e.getValue() != null) {
        return false;
      }
    }
    return any;
  }

  static boolean isModule(PyObject o) {
    return o.get("_parameters") instanceof Map || o.get("_modules") instanceof Map;
  }

  private static void walkModule(PyObject m, String prefix, Map<String, TorchTensor> out, Set<Object> visiting) {
    if (!visiting.add(m)) {
      throw new IllegalArgumentException("module " + (prefix.isEmpty() ? "<root>" : prefix) + " contains itself");
    }
    if (m.get("_parameters") instanceof Map<?, ?> params) {
      params.forEach((k, v) -> {
        if (v instanceof TorchTensor t) {
          put(out, join(prefix, String.valueOf(k)), t);
        }
      });
    }
    Object nonPersistent = m.get("_non_persistent_buffers_set");
    if (m.get("_buffers") instanceof Map<?, ?> buffers) {
      buffers.forEach((k, v) -> {
        boolean transient_ = nonPersistent instanceof Set<?> s && s.contains(k);
        if (v instanceof TorchTensor t && !transient_) {
          put(out, join(prefix, String.valueOf(k)), t);
        }
      });
    }
    if (m.get("_modules") instanceof Map<?, ?> children) {
      children.forEach((k, v) -> {
        if (v instanceof PyObject child && isModule(child)) {
          walkModule(child, join(prefix, String.valueOf(k)), out, visiting);
        }
      });
    }
    visiting.remove(m);
  }

  private static void flatten(Map<?, ?> m, String prefix, Map<String, TorchTensor> out, Set<Object> visiting) {
    if (!visiting.add(m)) {
      throw new IllegalArgumentException("dict " + (prefix.isEmpty() ? "<root>" : prefix) + " contains itself");
    }
    m.forEach((k, v) -> {
      if (k instanceof String s) {
        flattenValue(v, join(prefix, s), out, visiting);
      }
    });
    visiting.remove(m);
  }

  private static void flattenValue(Object v, String key, Map<String, TorchTensor> out, Set<Object> visiting) {
    if (v instanceof TorchTensor t) {
      put(out, key, t);
    } else if (v instanceof Map<?, ?> sub) {
      flatten(sub, key, out, visiting);
    } else if (v instanceof PyObject o && isModule(o)) {
      walkModule(o, key, out, visiting);
    }
  }

  private static void put(Map<String, TorchTensor> out, String key, TorchTensor t) {
    if (out.putIfAbsent(key, t) != null) {
      throw new IllegalArgumentException("two tensors are named \"" + key + "\"");
    }
  }

  private static String join(String prefix, String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  /** Materialises the located tensors as a {@link StateDict} (errors name the file and the key). */
  static StateDict stateDict(TorchCheckpoint ckpt) {
    String source = ckpt.file().toString();
    Object root = ckpt.root();
    Located found;
    try {
      found = locate(root);
    } catch (IllegalArgumentException e) {
      throw new WeightFileException(source + ": " + e.getMessage(), e);
    }
    if (found == null) {
      String what = root instanceof TorchTensor ? "a single tensor, not a state dict"
          : root instanceof Map<?, ?> m ? "a dict with keys " + keyList(m) + " but no model tensors"
          : PickleTypes.describe(root);
      throw new WeightFileException(
          source + ": no model tensors found; the checkpoint holds " + what + ". Expected a dict of tensors, a"
              + " pickled nn.Module, or a dict with one of the keys " + CONTAINER_KEYS);
    }
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, TorchTensor> e : found.tensors().entrySet()) {
      try {
        tensors.put(e.getKey(), e.getValue().data());
      } catch (WeightFileException ex) {
        throw new WeightFileException(source + ": tensor \"" + e.getKey() + "\": " + ex.getMessage(), ex);
      }
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", ckpt.format().label());
    meta.put("container", found.container());
    return new StateDict(tensors, source, meta);
  }

  private static String keyList(Map<?, ?> m) {
    List<String> keys = new ArrayList<>();
    for (Object k : m.keySet()) {
      keys.add(String.valueOf(k));
      if (keys.size() == 12) {
        keys.add("...");
        break;
      }
    }
    return keys.toString();
  }
}
