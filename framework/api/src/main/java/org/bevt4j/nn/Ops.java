package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/** Tensor operations DJL lacks or that need care, checked against PyTorch (outputs and gradients). */
public final class Ops {
  private Ops() {}

  /** {@code torch.roll(x, shifts, dims)}: two slices and a concat per rolled axis. */
  public static NDArray roll(NDArray x, long[] shifts, int[] dims) {
    NDArray out = x;
    for (int i = 0; i < dims.length; i++) {
      int axis = dims[i];
      long n = out.getShape().get(axis);
      long s = Math.floorMod(shifts[i], n);
      if (s == 0) {
        continue;
      }
      NDArray head = slice(out, axis, n - s, n);
      NDArray tail = slice(out, axis, 0, n - s);
      out = NDArrays.concat(new ai.djl.ndarray.NDList(head, tail), axis);
    }
    return out;
  }

  /** {@code x[..., from:to, ...]} along one axis. */
  public static NDArray slice(NDArray x, int axis, long from, long to) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < axis; i++) {
      sb.append(":,");
    }
    sb.append(from).append(':').append(to);
    return x.get(new NDIndex(sb.toString()));
  }

  /** Inverted dropout (identity when not training or p == 0). */
  public static NDArray dropout(NDArray x, double p, boolean training) {
    if (!training || p <= 0) {
      return x;
    }
    return ai.djl.nn.norm.Dropout.dropout(x, (float) p, true).singletonOrThrow();
  }

  /**
   * Transposed convolution with kernel == stride (no overlap), channels-first, any number of spatial
   * dims: a matmul followed by a pixel-shuffle reshape. {@code w} is PyTorch's ConvTranspose weight
   * {@code (Cin, Cout, k...)}; {@code b} may be null.
   */
  public static NDArray convTransposeKEqS(NDArray x, NDArray w, NDArray b) {
    Shape xs = x.getShape();
    Shape ws = w.getShape();
    int nd = xs.dimension() - 2;
    long batch = xs.get(0);
    long cin = xs.get(1);
    long cout = ws.get(1);
    // (B, Cin, s...) -> (B, s..., Cin)
    int[] toLast = new int[nd + 2];
    toLast[0] = 0;
    for (int i = 0; i < nd; i++) {
      toLast[1 + i] = 2 + i;
    }
    toLast[nd + 1] = 1;
    NDArray y = Autocast.matMul(x.transpose(toLast), w.reshape(cin, -1)); // (B, s..., Cout*k...)
    long[] shp = new long[2 + 2 * nd];
    shp[0] = batch;
    for (int i = 0; i < nd; i++) {
      shp[1 + i] = xs.get(2 + i);
    }
    shp[1 + nd] = cout;
    for (int i = 0; i < nd; i++) {
      shp[2 + nd + i] = ws.get(2 + i);
    }
    y = y.reshape(new Shape(shp)); // (B, s1..sn, Cout, k1..kn)
    int[] perm = new int[2 + 2 * nd];
    perm[0] = 0;
    perm[1] = 1 + nd;
    for (int i = 0; i < nd; i++) {
      perm[2 + 2 * i] = 1 + i;
      perm[3 + 2 * i] = 2 + nd + i;
    }
    y = y.transpose(perm); // (B, Cout, s1, k1, s2, k2, ...)
    long[] outShape = new long[2 + nd];
    outShape[0] = batch;
    outShape[1] = cout;
    for (int i = 0; i < nd; i++) {
      outShape[2 + i] = xs.get(2 + i) * ws.get(2 + i);
    }
    y = y.reshape(new Shape(outShape));
    if (b != null) {
      long[] bs = new long[2 + nd];
      java.util.Arrays.fill(bs, 1);
      bs[1] = cout;
      y = y.add(b.reshape(new Shape(bs)));
    }
    return y;
  }
}
