package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * PyTorch's legacy {@code F.interpolate(..., mode='nearest')} along chosen axes, as an index gather
 * (differentiable, any dtype including boolean masks).
 *
 * <p>Source index of output position {@code i} (ATen {@code nearest_idx}): {@code i} when sizes are
 * equal, {@code i >> 1} when the output is exactly twice the input, otherwise
 * {@code min(floorf(i * scale), in - 1)} with {@code scale = (float) in / out} computed in float32,
 * exactly as ATen does (so results match PyTorch bit for bit, including rounding at float32 ties).
 */
public final class NearestResize {
  private NearestResize() {}

  /** Source indices of PyTorch legacy nearest resizing from {@code in} to {@code out} positions. */
  public static long[] indices(long in, long out) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("nearest resize sizes must be >= 1, got " + in + " -> " + out);
    }
    long[] idx = new long[Math.toIntExact(out)];
    for (int i = 0; i < idx.length; i++) {
      if (out == in) {
        idx[i] = i;
      } else if (out == 2 * in) {
        idx[i] = i >> 1;
      } else {
        float scale = (float) in / (float) out;
        float src = (float) i * scale;
        idx[i] = Math.min((long) Math.floor(src), in - 1);
      }
    }
    return idx;
  }

  /** Resizes one axis of {@code x} to {@code out} positions; returns {@code x} itself when unchanged. */
  public static NDArray alongAxis(NDArray x, int axis, long out) {
    int nd = x.getShape().dimension();
    int a = axis < 0 ? axis + nd : axis;
    long in = x.getShape().get(a);
    if (in == out) {
      return x;
    }
    NDArray moved = a == 0 ? x : x.swapAxes(0, a);
    NDArray gathered;
    try (NDArray index = x.getManager().create(indices(in, out))) {
      gathered = moved.get(new NDIndex("{}", index));
    }
    return a == 0 ? gathered : gathered.swapAxes(0, a);
  }

  /**
   * Resizes the consecutive axes {@code firstAxis, firstAxis+1, ...} to {@code sizes}, one axis
   * after the other (nearest resizing is separable, so this equals the n-d interpolation).
   */
  public static NDArray resize(NDArray x, int firstAxis, long... sizes) {
    NDArray out = x;
    for (int i = 0; i < sizes.length; i++) {
      out = alongAxis(out, firstAxis + i, sizes[i]);
    }
    return out;
  }
}
