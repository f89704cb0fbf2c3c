package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Non-overlapping 3-D window partition and its inverse, as Video Swin's {@code window_partition} /
 * {@code window_reverse}. Windows are ordered batch-major, then d, h, w; tokens inside a window are
 * ordered (d, h, w). Images use a depth-1 window on a depth-1 input, which gives exactly the 2-D
 * Swin ordering.
 */
public final class WindowOps {
  private WindowOps() {}

  /**
   * {@code (B, D, H, W, C)} with each of D, H, W a multiple of the window → {@code (B*nW, N, C)},
   * N = wd*wh*ww.
   */
  public static NDArray partition(NDArray x, int[] window) {
    Shape s = x.getShape();
    long b = s.get(0);
    long d = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    long c = s.get(4);
    check(d, h, w, window);
    long n = (long) window[0] * window[1] * window[2];
    return x.reshape(b, d / window[0], window[0], h / window[1], window[1], w / window[2], window[2], c)
        .transpose(0, 1, 3, 5, 2, 4, 6, 7)
        .reshape(-1, n, c);
  }

  /** Inverse of {@link #partition}: {@code (B*nW, N, C)} → {@code (B, D, H, W, C)}. */
  public static NDArray reverse(NDArray windows, int[] window, long b, long d, long h, long w) {
    check(d, h, w, window);
    long c = windows.getShape().get(windows.getShape().dimension() - 1);
    return windows
        .reshape(b, d / window[0], h / window[1], w / window[2], window[0], window[1], window[2], c)
        .transpose(0, 1, 4, 2, 5, 3, 6, 7)
        .reshape(b, d, h, w, c);
  }

  private static void check(long d, long h, long w, int[] window) {
    if (d % window[0] != 0 || h % window[1] != 0 || w % window[2] != 0) {
      throw new IllegalArgumentException(
          "grid " + d + "x" + h + "x" + w + " is not a multiple of the window "
              + window[0] + "x" + window[1] + "x" + window[2]);
    }
  }

  /** Number of tokens of a window (product of its sizes). */
  public static int tokens(int[] window) {
    int n = 1;
    for (int v : window) {
      n *= v;
    }
    return n;
  }
}
