package org.bevt4j.nn;

/**
 * The attention mask of shifted-window attention ({@code compute_mask} / {@code compute_mask_2d}
 * of Video Swin and BEVT), computed on the host.
 *
 * <p>Each axis of the padded grid (Dp, Hp, Wp) is split by the Python slices {@code [:-w]},
 * {@code [-w:-s]} and {@code [-s:]} into regions, numbered d-major; later slices overwrite earlier
 * ones exactly as the upstream loop does. Python semantics are reproduced on purpose: with a shift
 * {@code s = 0}, {@code -0 == 0}, so {@code [-w:-0]} is empty and {@code [-0:]} covers the whole
 * axis, which therefore forms a single region. The grid is then partitioned into windows (d-major,
 * tokens (d, h, w)) and {@code mask[win][i][j] = -100} where the region ids of tokens i and j
 * differ, else 0. Shape (nW, N, N).
 */
public final class ShiftWindowMask {
  /** The value added to masked attention logits (upstream uses -100, not -inf). */
  public static final float MASKED = -100f;

  private ShiftWindowMask() {}

  /** The mask, row-major (nW, N, N). */
  public static float[] compute(int[] padded, int[] window, int[] shift) {
    int dp = padded[0];
    int hp = padded[1];
    int wp = padded[2];
    for (int a = 0; a < 3; a++) {
      if (padded[a] % window[a] != 0) {
        throw new IllegalArgumentException("padded size " + padded[a] + " is not a multiple of window " + window[a]);
      }
    }
    int[] region = new int[dp * hp * wp];
    int cnt = 0;
    for (int[] ds : slices(dp, window[0], shift[0])) {
      for (int[] hs : slices(hp, window[1], shift[1])) {
        for (int[] ws : slices(wp, window[2], shift[2])) {
          for (int d = ds[0]; d < ds[1]; d++) {
            for (int h = hs[0]; h < hs[1]; h++) {
              for (int w = ws[0]; w < ws[1]; w++) {
                region[(d * hp + h) * wp + w] = cnt;
              }
            }
          }
          cnt++;
        }
      }
    }
    int nd = dp / window[0];
    int nh = hp / window[1];
    int nw = wp / window[2];
    int n = window[0] * window[1] * window[2];
    int windows = nd * nh * nw;
    float[] out = new float[windows * n * n];
    int[] ids = new int[n];
    int win = 0;
    for (int a = 0; a < nd; a++) {
      for (int b = 0; b < nh; b++) {
        for (int c = 0; c < nw; c++) {
          int t = 0;
          for (int i = 0; i < window[0]; i++) {
            for (int j = 0; j < window[1]; j++) {
              for (int k = 0; k < window[2]; k++) {
                int d = a * window[0] + i;
                int h = b * window[1] + j;
                int w = c * window[2] + k;
                ids[t++] = region[(d * hp + h) * wp + w];
              }
            }
          }
          int base = win * n * n;
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              out[base + i * n + j] = ids[i] == ids[j] ? 0f : MASKED;
            }
          }
          win++;
        }
      }
    }
    return out;
  }

  /** Number of windows of a padded grid. */
  public static int windows(int[] padded, int[] window) {
    return (padded[0] / window[0]) * (padded[1] / window[1]) * (padded[2] / window[2]);
  }

  /** The three Python slices [:-w], [-w:-s], [-s:] of an axis of length len, as [start, stop). */
  static int[][] slices(int len, int w, int s) {
    return new int[][] {
      pySlice(len, null, -w), pySlice(len, -w, -s), pySlice(len, -s, null)
    };
  }

  /** Python's slice(start, stop) on a sequence of length len (step 1), as [start, stop). */
  static int[] pySlice(int len, Integer start, Integer stop) {
    int a = start == null ? 0 : normalize(start, len);
    int b = stop == null ? len : normalize(stop, len);
    return new int[] {a, Math.max(a, b)};
  }

  private static int normalize(int v, int len) {
    int r = v < 0 ? v + len : v;
    return Math.max(0, Math.min(len, r));
  }
}
