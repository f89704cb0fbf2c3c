package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/** {@code nn.Linear}: y = x W^T + b over the last axis; keys {@code weight} (out, in), {@code bias}. */
public class Linear extends Module {
  private final Param weight;
  private final Param bias;
  private final long in;
  private final long out;

  public Linear(long in, long out, boolean bias) {
    this(in, out, bias, Init.torchDefault(in), bias ? Init.torchDefault(in) : null);
  }

  public Linear(long in, long out, boolean bias, Init weightInit, Init biasInit) {
    this.in = in;
    this.out = out;
    this.weight = param("weight", new Shape(out, in), weightInit);
    this.bias = bias ? param("bias", new Shape(out), biasInit == null ? Init.zeros() : biasInit) : null;
  }

  /**
   * {@code F.linear(x, W, b)} as one libtorch call ({@code addmm} for 2-D/contiguous 3-D inputs,
   * else matmul with an in-place bias add): no separate bias pass forward or backward. Inside an
   * {@link Autocast} float16 region it computes in float16 and returns float32.
   */
  public NDArray forward(NDArray x) {
    return Autocast.linear(x, weight.array(), bias == null ? null : bias.array());
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }

  public Param weight() {
    return weight;
  }

  public Param bias() {
    return bias;
  }

  public long inFeatures() {
    return in;
  }

  public long outFeatures() {
    return out;
  }
}
