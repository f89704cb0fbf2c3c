package org.bevt4j.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of every bevt4j network piece: a DJL {@link AbstractBlock} that also keeps its parameters
 * and sub-modules under the upstream PyTorch names, so that {@link #namedParameters()} yields
 * exactly the keys of the upstream {@code state_dict()} (e.g. {@code layers.0.blocks.1.norm1.weight}).
 *
 * <p>Subclasses declare parameters with {@link #param} / {@link #buffer} and children with {@link
 * #child} in their constructor, then callers run {@link #initialize(NDManager)} once. Forward passes
 * are typed methods of the subclasses; the generic DJL {@link #forward(NDList, boolean)} is
 * available for modules with a single natural input.
 */
public abstract class Module extends AbstractBlock implements ParameterOwner {
  private final Map<String, Param> params = new LinkedHashMap<>();
  private final Map<String, Module> modules = new LinkedHashMap<>();

  protected Module() {
    super((byte) 1);
  }

  /** Declares a trainable parameter. */
  protected final Param param(String name, Shape shape, Init init) {
    return declare(name, shape, init, false);
  }

  /** Declares a persistent, non-trainable buffer (part of the state dict). */
  protected final Param buffer(String name, Shape shape, Init init) {
    return declare(name, shape, init, true);
  }

  private Param declare(String name, Shape shape, Init init, boolean isBuffer) {
    if (params.containsKey(name) || modules.containsKey(name)) {
      throw new IllegalArgumentException("duplicate name " + name + " in " + getClass().getSimpleName());
    }
    Parameter p =
        Parameter.builder()
            .setName(name)
            .setType(isBuffer ? Parameter.Type.RUNNING_MEAN : Parameter.Type.WEIGHT)
            .optRequiresGrad(!isBuffer)
            .build();
    addParameter(p);
    Param param = new Param(p, shape, init, isBuffer);
    params.put(name, param);
    return param;
  }

  /** Declares a sub-module under an upstream name (e.g. {@code "attn"} or {@code "blocks.0"}). */
  protected final <M extends Module> M child(String name, M module) {
    if (params.containsKey(name) || modules.containsKey(name)) {
      throw new IllegalArgumentException("duplicate name " + name + " in " + getClass().getSimpleName());
    }
    addChildBlock(name, module);
    modules.put(name, module);
    return module;
  }

  /** Direct sub-modules by name. */
  public Map<String, Module> modules() {
    return Collections.unmodifiableMap(modules);
  }

  /** All parameters and buffers, by dotted upstream name, in declaration order. */
  @Override
  public Map<String, Param> namedParameters() {
    Map<String, Param> out = new LinkedHashMap<>();
    collect("", out);
    return out;
  }

  private void collect(String prefix, Map<String, Param> out) {
    for (Map.Entry<String, Param> e : params.entrySet()) {
      out.put(prefix + e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Module> e : modules.entrySet()) {
      e.getValue().collect(prefix + e.getKey() + ".", out);
    }
  }

  /** Creates every uninitialized parameter with its initializer, in declaration order. */
  public void initialize(NDManager manager) {
    for (Param p : namedParameters().values()) {
      p.initialize(manager);
    }
  }

  /** Freezes (or unfreezes) every parameter of this module. */
  public void setTrainable(boolean trainable) {
    for (Param p : namedParameters().values()) {
      p.setTrainable(trainable);
    }
  }

  /** Number of scalar values in trainable and frozen parameters (buffers excluded). */
  public long parameterCount() {
    long n = 0;
    for (Param p : namedParameters().values()) {
      if (!p.isBuffer()) {
        n += p.shape().size();
      }
    }
    return n;
  }

  /**
   * Generic single-input forward, for modules that have one; the default explains which typed
   * method to call instead.
   */
  public NDList forward(NDList inputs, boolean training) {
    throw new IllegalStateException(
        getClass().getSimpleName() + " has no generic NDList forward; call its typed forward method");
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    return forward(inputs, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList in = new NDList();
      for (Shape s : inputShapes) {
        in.add(m.zeros(s));
      }
      return forward(in, false).getShapes();
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + parameterCount() + " params)";
  }
}
