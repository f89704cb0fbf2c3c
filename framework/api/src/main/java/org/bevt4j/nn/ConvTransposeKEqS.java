package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * {@code nn.ConvTranspose1d/2d/3d} restricted to kernel == stride, no padding, no groups (BEVT's
 * {@code fpn}, {@code fpn_s}, {@code fpn_t}); channels-first. Keys {@code weight} with PyTorch's
 * ConvTranspose layout (in, out, k...) and {@code bias} (out). Computed by {@link
 * Ops#convTransposeKEqS} (a matmul and a pixel-shuffle reshape), which DJL can differentiate.
 * Default init is PyTorch's: U(±1/sqrt(fan_in)) with fan_in = out * prod(k) (PyTorch computes the
 * fan from dim 1 of the weight).
 */
public class ConvTransposeKEqS extends Module {
  private final Param weight;
  private final Param bias;
  private final long[] kernel;

  public ConvTransposeKEqS(long in, long out, long... kernel) {
    this(in, out, true, kernel);
  }

  public ConvTransposeKEqS(long in, long out, boolean bias, long... kernel) {
    if (kernel.length < 1 || kernel.length > 3) {
      throw new IllegalArgumentException("kernel must have 1 to 3 sizes, got " + kernel.length);
    }
    this.kernel = kernel.clone();
    long[] w = new long[2 + kernel.length];
    w[0] = in;
    w[1] = out;
    long fanIn = out;
    for (int i = 0; i < kernel.length; i++) {
      if (kernel[i] < 1) {
        throw new IllegalArgumentException("kernel sizes must be >= 1");
      }
      w[2 + i] = kernel[i];
      fanIn *= kernel[i];
    }
    this.weight = param("weight", new Shape(w), Init.torchDefault(fanIn));
    this.bias = bias ? param("bias", new Shape(out), Init.torchDefault(fanIn)) : null;
  }

  /** {@code (B, in, s...)} → {@code (B, out, s*k...)}. */
  public NDArray forward(NDArray x) {
    if (x.getShape().dimension() != 2 + kernel.length) {
      throw new IllegalArgumentException(
          "expected a " + (2 + kernel.length) + "-D channels-first input, got " + x.getShape());
    }
    return Ops.convTransposeKEqS(x, weight.array(), bias == null ? null : bias.array());
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

  public long[] kernel() {
    return kernel.clone();
  }
}
