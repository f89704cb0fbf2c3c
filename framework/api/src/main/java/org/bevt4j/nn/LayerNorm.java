package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/** {@code nn.LayerNorm(dim, eps)} over the last axis; keys {@code weight}, {@code bias}. */
public class LayerNorm extends Module {
  private final Param weight;
  private final Param bias;
  private final long dim;
  private final float eps;

  public LayerNorm(long dim, double eps) {
    this.dim = dim;
    this.eps = (float) eps;
    this.weight = param("weight", new Shape(dim), Init.ones());
    this.bias = param("bias", new Shape(dim), Init.zeros());
  }

  /** PyTorch's default eps 1e-5. */
  public LayerNorm(long dim) {
    this(dim, 1e-5);
  }

  public NDArray forward(NDArray x) {
    return ai.djl.nn.norm.LayerNorm.layerNorm(x, new Shape(dim), weight.array(), bias.array(), eps)
        .singletonOrThrow();
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }

  public float eps() {
    return eps;
  }

  public long dim() {
    return dim;
  }
}
