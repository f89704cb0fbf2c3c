package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Stochastic depth (timm {@code drop_path}): drops whole samples of a residual branch in training. */
public final class DropPath {
  private DropPath() {}

  /** Returns {@code x} unchanged when not training or {@code rate == 0}. */
  public static NDArray apply(NDArray x, double rate, boolean training) {
    if (!training || rate <= 0) {
      return x;
    }
    float keep = (float) (1 - rate);
    long[] shape = new long[x.getShape().dimension()];
    java.util.Arrays.fill(shape, 1);
    shape[0] = x.getShape().get(0);
    // the 1/keep scaling is folded into the (gradient-free) mask: x.div(Number) would let autograd
    // keep a Java-owned scalar that GC may free before backward (see Scalars)
    NDArray mask =
        x.getManager().randomUniform(0f, 1f, new Shape(shape), DataType.FLOAT32, x.getDevice()).lt(keep)
            .toType(x.getDataType(), false)
            .div(keep);
    return x.mul(mask);
  }

  /** Linearly increasing rates over {@code n} blocks, as {@code torch.linspace(0, rate, n)}. */
  public static double[] schedule(double rate, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = n == 1 ? 0 : rate * i / (n - 1);
    }
    return out;
  }
}
