package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * {@code nn.GroupNorm(num_groups, num_channels, eps, affine=True)} for channels-first input
 * {@code (N, C, *)}; keys {@code weight}, {@code bias} (shape {@code (C)}).
 *
 * <p>Each sample's channels are split into {@code groups} contiguous groups; every group is
 * normalised over its channels and all spatial positions with the biased variance, then the
 * per-channel affine transform is applied. DJL has no GroupNorm operator; each (sample, group) row
 * is normalised with the engine's fused {@code layer_norm} (unit scale, zero shift), then the
 * per-channel affine transform is applied.
 */
public class GroupNorm extends Module {
  private final Param weight;
  private final Param bias;
  private final int groups;
  private final long channels;
  private final float eps;

  /**
   * @param groups number of groups; must divide {@code channels}
   * @param channels number of channels {@code C}
   * @param eps added to the variance (PyTorch default 1e-5; taming-transformers uses 1e-6)
   */
  public GroupNorm(int groups, long channels, double eps) {
    if (groups < 1 || channels < 1 || channels % groups != 0) {
      throw new IllegalArgumentException(
          "GroupNorm: num_channels " + channels + " must be a positive multiple of num_groups " + groups);
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("GroupNorm: eps must be > 0, got " + eps);
    }
    this.groups = groups;
    this.channels = channels;
    this.eps = (float) eps;
    this.weight = param("weight", new Shape(channels), Init.ones());
    this.bias = param("bias", new Shape(channels), Init.zeros());
  }

  /** PyTorch's default eps 1e-5. */
  public GroupNorm(int groups, long channels) {
    this(groups, channels, 1e-5);
  }

  /** Normalises {@code x (N, C, *)}; the output has the input's shape. */
  public NDArray forward(NDArray x) {
    Shape s = x.getShape();
    if (s.dimension() < 2 || s.get(1) != channels) {
      throw new IllegalArgumentException(
          "GroupNorm(" + groups + ", " + channels + "): expected input (N, " + channels + ", ...), found " + s);
    }
    long n = s.get(0);
    long k = s.size() / (n * groups);
    // The engine's fused layer_norm over each (sample, group) row: one pass forward and backward
    // instead of the ~10 element-wise passes of a composite (same statistics, biased variance).
    NDArray g = x.reshape(n, groups, k);
    NDManager m = x.getManager();
    NDArray one = m.ones(new Shape(k), x.getDataType(), x.getDevice());
    NDArray zero = m.zeros(new Shape(k), x.getDataType(), x.getDevice());
    NDArray normed = g.getNDArrayInternal().layerNorm(g, new Shape(k), one, zero, eps).singletonOrThrow().reshape(s);
    long[] affine = new long[s.dimension()];
    java.util.Arrays.fill(affine, 1);
    affine[1] = channels;
    Shape as = new Shape(affine);
    return normed.mul(weight.array().reshape(as)).add(bias.array().reshape(as));
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }

  public int groups() {
    return groups;
  }

  public long channels() {
    return channels;
  }

  public float eps() {
    return eps;
  }

  public Param weight() {
    return weight;
  }

  public Param bias() {
    return bias;
  }
}
