package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.SparseFormat;

/**
 * The relative-position bias {@code (nH, N, N) = table[index[:N, :N]]} of (Video) Swin window
 * attention ({@link RelativePositionIndex} semantics, {@code table} of shape {@code
 * ((2Wd-1)(2Wh-1)(2Ww-1), nH)}), in two formulations with identical values.
 *
 * <ul>
 *   <li>{@link #gathered}: one embedding lookup of the N² index entries. Its backward is an
 *       embedding backward, which adds N² rows of nH values one by one into the table gradient:
 *       serial and slow for Swin's 392-token windows (150k rows).
 *   <li>{@link #factorized}: when the first N tokens of the window form the sub-grid of its first
 *       {@code t} frames ({@code N = t·Wh·Ww}, see {@link #factorizes}), the index separates over the
 *       three axes, {@code index[i, j] = ((d_i−d_j+Wd−1)·(2Wh−1) + h_i−h_j+Wh−1)·(2Ww−1) +
 *       w_i−w_j+Ww−1}, so the bias is the table multiplied along each axis by a constant one-hot
 *       matrix {@code E[(x_i, x_j), r] = [r = x_i − x_j + Wx − 1]}, then one permutation of the
 *       result: three small matmuls forward and three backward, no scatter.
 * </ul>
 *
 * {@link #of} picks the factorized form where it is exactly the same gather and spans several
 * frames (full windows and windows truncated in time), and the single lookup otherwise: windows
 * clipped in height or width, whose {@code index[:N, :N]} block is not a sub-grid, and single-frame
 * windows (the image stream's N = Wh·Ww), where the lookup is as fast (measured, 1 thread: 0.3-0.4
 * ms either way for 49 tokens; for 392 tokens the factorized form takes 2.2 / 4.8 / 10.0 / 21 ms
 * against the lookup's 10.7 / 12.4 / 15.5 / 27 ms with 3 / 6 / 12 / 24 heads, forward + backward).
 * Forward values are bit-identical; gradients agree to float rounding (summation order).
 */
public final class RelativePositionBias {
  private RelativePositionBias() {}

  /**
   * Whether {@code index[:n, :n]} of {@code window} is the gather over the sub-grid of its first
   * {@code t = n / (Wh·Ww)} frames, i.e. whether {@code n} is a whole number of (Wh, Ww) planes.
   */
  public static boolean factorizes(int[] window, int n) {
    int plane = window[1] * window[2];
    return n >= 1 && n % plane == 0 && n / plane <= window[0];
  }

  /**
   * The bias for windows of {@code n} tokens: {@link #factorized} where {@link #factorizes} holds
   * for more than one frame ({@code n > Wh·Ww}), else {@link #gathered}.
   */
  public static NDArray of(NDArray table, int[] window, int n, int heads, WindowCaches caches) {
    return factorizes(window, n) && n > window[1] * window[2]
        ? factorized(table, window, n, heads, caches)
        : gathered(table, caches.biasIndex(window, n), n, heads);
  }

  /** {@code table[index]} as one embedding lookup; {@code index} is the flattened n² block. */
  public static NDArray gathered(NDArray table, NDArray index, int n, int heads) {
    NDArray rows = lookup(index, table);
    return rows.reshape(n, n, heads).transpose(2, 0, 1);
  }

  /**
   * {@code table[index[:n, :n]]} as three one-hot products (matmuls: no index-add in the
   * backward); requires {@link #factorizes}. Only the {@code 2t − 1} temporal planes of the table
   * that {@code t} frames can reach are used (a slice; for the image stream's t = 1 the Δd = 0
   * plane alone, and the temporal product is skipped).
   *
   * @throws IllegalArgumentException when {@code n} is not a whole number of (Wh, Ww) planes
   */
  public static NDArray factorized(NDArray table, int[] window, int n, int heads, WindowCaches caches) {
    if (!factorizes(window, n)) {
      throw new IllegalArgumentException(
          "a window of " + n + " tokens is not a whole number of " + window[1] + "x" + window[2]
              + " planes of the " + window[0] + "x" + window[1] + "x" + window[2] + " window");
    }
    int wd = window[0];
    int wh = window[1];
    int ww = window[2];
    int t = n / (wh * ww);
    long rd = 2L * t - 1; // temporal offsets -(t-1) .. t-1: table planes wd-t .. wd+t-2
    long rh = 2L * wh - 1;
    long rw = 2L * ww - 1;
    long plane = rh * rw * heads;
    NDArray x = table.reshape(2L * wd - 1, plane);
    if (t < wd) {
      x = x.get(new NDIndex("{}:{}", wd - t, wd + t - 1));
    }
    // (nH, Rd', Rh, Rw) · E_wᵀ -> (nH, Rd', Rh, Ww²)
    x = x.reshape(rd * rh * rw, heads).transpose(1, 0).reshape(heads, rd, rh, rw);
    x = x.matMul(caches.deltaOneHot(ww, ww).transpose(1, 0));
    // E_h · (nH·Rd', Rh, Ww²) -> (nH·Rd', Wh², Ww²)
    x = caches.deltaOneHot(wh, wh).matMul(x.reshape(heads * rd, rh, (long) ww * ww));
    if (t == 1) {
      // (nH, h_i, h_j, w_i, w_j) -> (nH, h_i, w_i, h_j, w_j)
      return x.reshape(heads, wh, wh, ww, ww).transpose(0, 1, 3, 2, 4).reshape(heads, n, n);
    }
    // E_d · (nH, Rd', Wh²·Ww²) -> (nH, t², Wh²·Ww²)
    x = caches.deltaOneHot(t, t).matMul(x.reshape(heads, rd, (long) wh * wh * ww * ww));
    // (nH, d_i, d_j, h_i, h_j, w_i, w_j) -> (nH, d_i, h_i, w_i, d_j, h_j, w_j)
    return x.reshape(heads, t, t, wh, wh, ww, ww).transpose(0, 1, 3, 5, 2, 4, 6).reshape(heads, n, n);
  }

  /** Rows {@code index} of the 2-D {@code weight}; the backward is one index-add (embedding). */
  private static NDArray lookup(NDArray index, NDArray weight) {
    return index.getNDArrayInternal().embedding(index, weight, SparseFormat.DENSE).singletonOrThrow();
  }
}
