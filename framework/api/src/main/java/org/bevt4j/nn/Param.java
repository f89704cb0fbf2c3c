package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Objects;

/**
 * A named tensor of a {@link Module}: a trainable parameter or a persistent buffer. It wraps the
 * DJL {@link Parameter} registered on the owning block, and adds the declared shape, the
 * initializer and the trainable flag (frozen stages, frozen tokenizers).
 */
public final class Param {
  private final Parameter parameter;
  private final Shape shape;
  private final Init init;
  private final boolean buffer;
  private boolean trainable;

  Param(Parameter parameter, Shape shape, Init init, boolean buffer) {
    this.parameter = parameter;
    this.shape = Objects.requireNonNull(shape);
    this.init = Objects.requireNonNull(init);
    this.buffer = buffer;
    this.trainable = !buffer;
  }

  /** The local name inside its module (e.g. {@code weight}). */
  public String localName() {
    return parameter.getName();
  }

  public Shape shape() {
    return shape;
  }

  /** Whether this is a persistent buffer (never trained, no gradient). */
  public boolean isBuffer() {
    return buffer;
  }

  public boolean isTrainable() {
    return trainable;
  }

  /** The underlying DJL parameter. */
  public Parameter djl() {
    return parameter;
  }

  /** Whether an array has been set. */
  public boolean isInitialized() {
    return parameter.isInitialized();
  }

  /** The current value; throws if not initialized. */
  public NDArray array() {
    NDArray a = parameter.getArray();
    if (a == null) {
      throw new IllegalStateException("parameter " + localName() + " is not initialized");
    }
    return a;
  }

  /** Freezes or unfreezes: frozen parameters carry no gradient. */
  public void setTrainable(boolean trainable) {
    this.trainable = trainable && !buffer;
    if (parameter.isInitialized()) {
      parameter.getArray().setRequiresGradient(this.trainable);
    }
  }

  /** Creates the array with the initializer, unless already initialized. */
  void initialize(NDManager manager) {
    if (parameter.isInitialized()) {
      return;
    }
    NDArray a = init.create(manager, shape);
    if (!a.getShape().equals(shape)) {
      throw new IllegalStateException(
          "initializer for " + localName() + " produced " + a.getShape() + ", expected " + shape);
    }
    attach(a);
  }

  private void attach(NDArray a) {
    a.setName(localName());
    NDManagerUtil.detachFromScope(a);
    parameter.setArray(a);
    if (trainable) {
      a.setRequiresGradient(true);
    }
  }

  /**
   * Replaces the value by a copy of {@code value} (same shape, converted to the parameter's dtype),
   * on the parameter's device. Used by weight loading and checkpoint restore.
   */
  public void copyFrom(NDArray value) {
    if (!value.getShape().equals(shape)) {
      throw new IllegalArgumentException(
          "parameter " + localName() + ": expected shape " + shape + ", found " + value.getShape());
    }
    NDArray current = array();
    NDArray src = value.getDataType() == current.getDataType() ? value : value.toType(current.getDataType(), false);
    if (src.getDevice().equals(current.getDevice())) {
      // an in-place copy into the parameter's own engine-allocated storage: NDArray.set(ByteBuffer)
      // would make the parameter alias a Java direct buffer, whose alignment varies from run to run
      // and changes the rounding of some CPU kernels (a resumed run would not be bit-identical)
      current.set(new NDIndex("..."), src);
    } else {
      try (NDArray moved = src.toDevice(current.getDevice(), true)) {
        current.set(new NDIndex("..."), moved);
      }
    }
    if (src != value) {
      src.close();
    }
  }

  /** The parameter's dtype. */
  public DataType dataType() {
    return array().getDataType();
  }
}
