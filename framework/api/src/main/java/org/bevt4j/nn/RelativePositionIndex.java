package org.bevt4j.nn;

/**
 * The relative position index of (Video) Swin's window attention, computed on the host. For a
 * window (Wd, Wh, Ww) with tokens in (d, h, w) row-major order, {@code index[i][j] = (d_i - d_j +
 * Wd - 1)(2Wh-1)(2Ww-1) + (h_i - h_j + Wh - 1)(2Ww-1) + (w_i - w_j + Ww - 1)}, a row of the
 * bias table of {@link #tableRows} rows. Upstream keeps it as the {@code relative_position_index}
 * buffer; bevt4j recomputes it and ignores that key when loading.
 */
public final class RelativePositionIndex {
  private RelativePositionIndex() {}

  /** Rows of the relative position bias table: (2Wd-1)(2Wh-1)(2Ww-1). */
  public static int tableRows(int[] window) {
    return (2 * window[0] - 1) * (2 * window[1] - 1) * (2 * window[2] - 1);
  }

  /** The full N x N index (row-major, N = Wd*Wh*Ww). */
  public static long[] full(int[] window) {
    int wd = window[0];
    int wh = window[1];
    int ww = window[2];
    int n = wd * wh * ww;
    long rowStride = (2L * wh - 1) * (2L * ww - 1);
    long colStride = 2L * ww - 1;
    long[] out = new long[n * n];
    for (int i = 0; i < n; i++) {
      int di = i / (wh * ww);
      int hi = (i / ww) % wh;
      int wi = i % ww;
      for (int j = 0; j < n; j++) {
        int dj = j / (wh * ww);
        int hj = (j / ww) % wh;
        int wj = j % ww;
        out[i * n + j] = (di - dj + wd - 1) * rowStride + (hi - hj + wh - 1) * colStride + (wi - wj + ww - 1);
      }
    }
    return out;
  }

  /**
   * The top-left {@code n x n} block of the full index, flattened: what upstream uses for a window
   * of n tokens ({@code index[:n, :n]}), including clipped windows and the BEVT image stream (whose
   * n = Wh*Ww tokens read the Δd = 0 plane of the 3-D table).
   */
  public static long[] topLeft(int[] window, int n) {
    int full = window[0] * window[1] * window[2];
    if (n < 1 || n > full) {
      throw new IllegalArgumentException(
          "window of " + n + " tokens does not fit the configured window of " + full + " tokens");
    }
    long[] idx = full(window);
    long[] out = new long[n * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(idx, i * full, out, i * n, n);
    }
    return out;
  }
}
