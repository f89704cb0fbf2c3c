package org.bevt4j.io;

import java.util.List;
import java.util.Objects;

/**
 * A Python global ({@code module.name}) that a checkpoint pickle referred to and the restricted
 * unpickler allowed. It never stands for Python code: an allowed <em>function</em> has a fixed Java
 * implementation that only builds data (a set, an ordered dict, a tensor view); a <em>class</em>
 * can only be instantiated as an inert {@link PyObject} (NEWOBJ, as {@code cls.__new__} does, with no
 * {@code __init__}); a <em>value</em> (a storage type, a dtype, {@code builtins.object}) can only be
 * referred to. Instances appear in the object tree wherever the pickle used the global itself as a
 * value (for example a class used as a dict key).
 */
public final class PickleGlobal {
  /** What the unpickler may do with the global. */
  public enum Kind {
    /** A data-building function with a Java implementation (called by REDUCE). */
    FUNCTION,
    /** A class recorded as an inert {@link PyObject} when instantiated with NEWOBJ. */
    CLASS,
    /** A value that may only be referred to, never called. */
    VALUE
  }

  /** The Java implementation of an allowed function. */
  @FunctionalInterface
  interface Impl {
    Object call(PickleGlobal self, List<Object> args);
  }

  private final String module;
  private final String name;
  private final Kind kind;
  private final Impl impl;
  private final DType storageDType;

  PickleGlobal(String module, String name, Kind kind, Impl impl, DType storageDType) {
    this.module = Objects.requireNonNull(module);
    this.name = Objects.requireNonNull(name);
    this.kind = kind;
    this.impl = impl;
    this.storageDType = storageDType;
  }

  public String module() {
    return module;
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  /** {@code module.name}. */
  public String qualifiedName() {
    return module + "." + name;
  }

  /** The element type, when this global is a torch storage class such as {@code torch.FloatStorage}. */
  DType storageDType() {
    return storageDType;
  }

  /**
   * REDUCE: {@code global(*args)}. An allowed function runs its Java implementation; a class gives
   * an inert {@link PyObject} holding the arguments; a value cannot be called.
   */
  Object call(List<Object> args) {
    return switch (kind) {
      case FUNCTION -> impl.call(this, args);
      case CLASS -> new PyObject(this, args);
      case VALUE -> throw new DisallowedGlobalException(
          qualifiedName(),
          "disallowed global '" + qualifiedName() + "': the pickle calls it, but it is only allowed as a plain value");
    };
  }

  /** NEWOBJ: {@code cls.__new__(cls, *args)}; classes give an inert {@link PyObject}. */
  Object newObject(List<Object> args) {
    return call(args);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PickleGlobal g && g.module.equals(module) && g.name.equals(name);
  }

  @Override
  public int hashCode() {
    return module.hashCode() * 31 + name.hashCode();
  }

  @Override
  public String toString() {
    return qualifiedName();
  }
}
