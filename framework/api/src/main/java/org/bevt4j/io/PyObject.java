package org.bevt4j.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An inert record of a Python object of a class the checkpoint refers to (for example a pickled
 * {@code torch.nn.Module} or {@code argparse.Namespace}): the class name, the NEWOBJ arguments and
 * the state given by BUILD (the object's {@code __dict__}). Building it runs no code.
 */
public final class PyObject {
  private final PickleGlobal type;
  private final List<Object> args;
  private final Map<String, Object> state = new LinkedHashMap<>();
  private final Map<Object, Object> dictItems = new LinkedHashMap<>();
  private final List<Object> listItems = new ArrayList<>();
  private Object rawState;

  PyObject(PickleGlobal type, List<Object> args) {
    this.type = type;
    this.args = Collections.unmodifiableList(new ArrayList<>(args));
  }

  /** The class, {@code module.QualName}. */
  public String className() {
    return type.qualifiedName();
  }

  public PickleGlobal type() {
    return type;
  }

  /** Arguments given to {@code cls.__new__} (usually none). */
  public List<Object> args() {
    return args;
  }

  /** The object's attributes ({@code __dict__} and slot state), in pickle order. */
  public Map<String, Object> state() {
    return Collections.unmodifiableMap(state);
  }

  /** One attribute, or null. */
  public Object get(String attribute) {
    return state.get(attribute);
  }

  /**
   * The items of an object of a {@code dict} subclass (e.g. yacs {@code CfgNode}), which the pickle
   * adds with SETITEMS; empty for other classes.
   */
  public Map<Object, Object> dictItems() {
    return dictItems;
  }

  /** The items of an object of a {@code list} subclass, added with APPEND(S); empty otherwise. */
  public List<Object> listItems() {
    return listItems;
  }

  /** The BUILD argument exactly as pickled when it was not a plain attribute dict, else null. */
  public Object rawState() {
    return rawState;
  }

  /** Applies BUILD: a dict updates the attributes; {@code (dict, slots)} updates both. */
  void build(Object newState) {
    if (newState instanceof Map<?, ?> m) {
      merge(m);
    } else if (newState instanceof Object[] t && t.length == 2
        && (t[0] == null || t[0] instanceof Map) && (t[1] == null || t[1] instanceof Map)) {
      if (t[0] != null) {
        merge((Map<?, ?>) t[0]);
      }
      if (t[1] != null) {
        merge((Map<?, ?>) t[1]);
      }
    } else {
      rawState = newState;
    }
  }

  private void merge(Map<?, ?> m) {
    m.forEach((k, v) -> state.put(String.valueOf(k), v));
  }

  @Override
  public String toString() {
    return className() + state.keySet();
  }
}
