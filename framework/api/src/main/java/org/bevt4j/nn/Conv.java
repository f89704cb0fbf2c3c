package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * {@code nn.Conv1d/2d/3d} (channels-first), keys {@code weight} (out, in/groups, k...) and
 * {@code bias}; the weight/bias names can be changed (DALL-E uses {@code w}/{@code b}).
 */
public class Conv extends Module {
  private final Param weight;
  private final Param bias;
  private final Shape stride;
  private final Shape padding;
  private final Shape dilation;
  private final int groups;
  private final int dims;

  private Conv(Builder b) {
    this.dims = b.kernel.length;
    long[] w = new long[2 + dims];
    w[0] = b.out;
    w[1] = b.in / b.groups;
    long fanIn = w[1];
    for (int i = 0; i < dims; i++) {
      w[2 + i] = b.kernel[i];
      fanIn *= b.kernel[i];
    }
    Init wi = b.weightInit != null ? b.weightInit : Init.torchDefault(fanIn);
    Init bi = b.biasInit != null ? b.biasInit : Init.torchDefault(fanIn);
    this.weight = param(b.weightName, new Shape(w), wi);
    this.bias = b.bias ? param(b.biasName, new Shape(b.out), bi) : null;
    this.stride = new Shape(orDefault(b.stride, dims, 1));
    this.padding = new Shape(orDefault(b.padding, dims, 0));
    this.dilation = new Shape(orDefault(b.dilation, dims, 1));
    this.groups = b.groups;
  }

  private static long[] orDefault(long[] v, int dims, long d) {
    if (v == null) {
      long[] out = new long[dims];
      java.util.Arrays.fill(out, d);
      return out;
    }
    if (v.length != dims) {
      throw new IllegalArgumentException("expected " + dims + " values, got " + v.length);
    }
    return v;
  }

  public static Builder builder(long in, long out, long... kernel) {
    return new Builder(in, out, kernel);
  }

  /** The convolution; inside an {@link Autocast} float16 region in float16, returning float32. */
  public NDArray forward(NDArray x) {
    return Autocast.conv(x, weight.array(), bias == null ? null : bias.array(), stride, padding, dilation, groups);
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

  /** Builder: {@code set*} for required values, {@code opt*} for optional ones. */
  public static final class Builder {
    private final long in;
    private final long out;
    private final long[] kernel;
    private long[] stride;
    private long[] padding;
    private long[] dilation;
    private int groups = 1;
    private boolean bias = true;
    private String weightName = "weight";
    private String biasName = "bias";
    private Init weightInit;
    private Init biasInit;

    private Builder(long in, long out, long[] kernel) {
      this.in = in;
      this.out = out;
      this.kernel = kernel.clone();
    }

    public Builder optStride(long... s) {
      this.stride = s.clone();
      return this;
    }

    public Builder optPadding(long... p) {
      this.padding = p.clone();
      return this;
    }

    public Builder optDilation(long... d) {
      this.dilation = d.clone();
      return this;
    }

    public Builder optGroups(int g) {
      this.groups = g;
      return this;
    }

    public Builder optBias(boolean b) {
      this.bias = b;
      return this;
    }

    /** Parameter names, e.g. ("w", "b") for DALL-E. */
    public Builder optNames(String weightName, String biasName) {
      this.weightName = weightName;
      this.biasName = biasName;
      return this;
    }

    public Builder optInit(Init weightInit, Init biasInit) {
      this.weightInit = weightInit;
      this.biasInit = biasInit;
      return this;
    }

    public Conv build() {
      return new Conv(this);
    }
  }
}
