package org.bevt4j.nn.fused;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bevt4j.nn.fused.TorchScriptOpsTest.check;
import static org.bevt4j.nn.fused.TorchScriptOpsTest.withGrads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.nn.fused.Attention.Mode;
import org.junit.jupiter.api.Test;

/**
 * Fused vs composite attention on Swin-shaped inputs: a relative-position bias gathered from a
 * table, a shifted-window mask of 0 / -100, and (B·nW, H, N, d) window batching.
 */
class AttentionTest {
  // a small 3-D window over a padded (4, 6, 6) grid, shifted by (1, 1, 1): nW = 2·2·2
  static final int[] WIN = {2, 3, 3};
  static final int[] GRID = {4, 6, 6};
  static final int[] SHIFT = {1, 1, 1};
  static final int B = 2;
  static final int HEADS = 3;
  static final int HD = 4;

  @Test
  void swinShiftedWindowAttentionAgreesForwardAndBackward() {
    try (NDManager m = NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(11);
      int n = WIN[0] * WIN[1] * WIN[2];
      int nw = (GRID[0] / WIN[0]) * (GRID[1] / WIN[1]) * (GRID[2] / WIN[2]);
      int rows = (2 * WIN[0] - 1) * (2 * WIN[1] - 1) * (2 * WIN[2] - 1);
      NDArray q = m.randomNormal(new Shape(B * nw, HEADS, n, HD));
      NDArray k = m.randomNormal(new Shape(B * nw, HEADS, n, HD));
      NDArray v = m.randomNormal(new Shape(B * nw, HEADS, n, HD));
      NDArray table = m.randomNormal(0, 0.5f, new Shape(rows, HEADS), ai.djl.ndarray.types.DataType.FLOAT32);
      NDArray index = m.create(relativeIndex(WIN), new Shape(n * n));
      NDArray mask = m.create(shiftMask(GRID, WIN, SHIFT), new Shape(nw, n, n));
      assertThat(mask.eq(-100f).sum().getLong()).as("the mask masks something").isPositive();
      double scale = Math.pow(HD, -0.5);

      NDArray[] upstream = withGrads(a -> upstreamWindowAttention(a, index, mask, nw, scale), q, k, v, table);
      for (Mode mode : Mode.values()) {
        NDArray[] got = withGrads(a -> {
          NDArray bias = Attention.windowBias(relBias(a[3], index, n), mask); // (nW, H, N, N)
          Shape five = new Shape(B, nw, HEADS, n, HD);
          NDArray out = Attention.attention(
              a[0].reshape(five), a[1].reshape(five), a[2].reshape(five), bias, scale, mode);
          return out.reshape(B * nw, HEADS, n, HD);
        }, q, k, v, table);
        check("shifted " + mode, got, upstream);
      }
      for (Mode mode : Mode.values()) {
        check("windowAttention " + mode, withGrads(a -> Attention.windowAttention(a[0], a[1], a[2],
            relBias(a[3], index, n), mask, scale, mode), q, k, v, table), upstream);
      }
      // non-shifted blocks: 4-D (B·nW, H, N, d) with the (H, N, N) bias only, and a custom scale
      NDArray[] ref = withGrads(a -> Attention.attention(a[0], a[1], a[2], relBias(a[3], index, n), 0.37, Mode.COMPOSITE), q, k, v, table);
      NDArray[] fused = withGrads(a -> Attention.attention(a[0], a[1], a[2], relBias(a[3], index, n), 0.37, Mode.FUSED), q, k, v, table);
      check("unshifted fused", fused, ref);
      // a frozen (no-grad) bias, 3-D and 2-D: libtorch may take its flash kernel here
      NDArray frozen = relBias(table, index, n);
      NDArray frozen2d = frozen.get(0);
      for (NDArray fb : new NDArray[] {frozen, frozen2d}) {
        check("frozen bias " + fb.getShape(),
            withGrads(a -> Attention.attention(a[0], a[1], a[2], fb, scale, Mode.FUSED), q, k, v),
            withGrads(a -> Attention.attention(a[0], a[1], a[2], fb, scale, Mode.COMPOSITE), q, k, v));
      }
      NDArray[] refNoBias = withGrads(a -> Attention.attention(a[0], a[1], a[2], null, scale, Mode.COMPOSITE), q, k, v);
      NDArray[] fusedNoBias = withGrads(a -> Attention.attention(a[0], a[1], a[2], null, scale, Mode.FUSED), q, k, v);
      check("no bias fused", fusedNoBias, refNoBias);
    }
  }

  @Test
  void modesParseFromConfigValuesAndShapesAreChecked() {
    assertThat(Mode.parse("fused")).isEqualTo(Mode.FUSED);
    assertThat(Mode.parse(" Composite ")).isEqualTo(Mode.COMPOSITE);
    assertThat(Mode.FUSED.configName()).isEqualTo("fused");
    assertThatThrownBy(() -> Mode.parse("flash"))
        .hasMessageContaining("'flash'").hasMessageContaining("[composite, fused]");
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray q = m.zeros(new Shape(2, 3, 4));
      NDArray k = m.zeros(new Shape(2, 3, 5));
      assertThatThrownBy(() -> Attention.attention(q, k, k, null, 1, Mode.FUSED))
          .hasMessageContaining("head dims differ");
      assertThatThrownBy(() -> Attention.attention(q, m.zeros(new Shape(3, 4)), q, null, 1, Mode.FUSED))
          .hasMessageContaining("equal rank");
    }
  }

  /** The upstream Video-Swin order: (q·scale)·kᵀ + bias, view (B, nW, H, N, N) + mask, softmax, ·v. */
  private static NDArray upstreamWindowAttention(NDArray[] a, NDArray index, NDArray mask, int nw, double scale) {
    NDArray q = a[0];
    int n = (int) q.getShape().get(2);
    NDArray attn = q.mul(scale).matMul(a[1].transpose(0, 1, 3, 2));
    attn = attn.add(relBias(a[3], index, n).expandDims(0));
    attn = attn.reshape(B, nw, HEADS, n, n).add(mask.expandDims(1).expandDims(0));
    attn = attn.reshape(B * nw, HEADS, n, n).softmax(-1);
    return attn.matMul(a[2]);
  }

  /** table[index] → (N, N, H) → (H, N, N). */
  static NDArray relBias(NDArray table, NDArray index, int n) {
    return table.get(new NDIndex("{}", index)).reshape(n, n, -1).transpose(2, 0, 1);
  }

  /** Video-Swin relative position index for a window, flattened (N·N). */
  static long[] relativeIndex(int[] w) {
    int n = w[0] * w[1] * w[2];
    int[][] c = new int[n][3];
    int t = 0;
    for (int d = 0; d < w[0]; d++) {
      for (int h = 0; h < w[1]; h++) {
        for (int x = 0; x < w[2]; x++) {
          c[t++] = new int[] {d, h, x};
        }
      }
    }
    long[] idx = new long[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        long rd = c[i][0] - c[j][0] + w[0] - 1L;
        long rh = c[i][1] - c[j][1] + w[1] - 1L;
        long rw = c[i][2] - c[j][2] + w[2] - 1L;
        idx[i * n + j] = rd * (2L * w[1] - 1) * (2L * w[2] - 1) + rh * (2L * w[2] - 1) + rw;
      }
    }
    return idx;
  }

  /** The SW-MSA mask (nW, N, N): regions [0:-w], [-w:-s], [-s:] per axis; -100 across regions. */
  static float[] shiftMask(int[] grid, int[] w, int[] s) {
    int[][] region = new int[3][];
    for (int a = 0; a < 3; a++) {
      region[a] = new int[grid[a]];
      for (int i = 0; i < grid[a]; i++) {
        region[a][i] = i < grid[a] - w[a] ? 0 : (i < grid[a] - s[a] ? 1 : 2);
      }
    }
    int nd = grid[0] / w[0];
    int nh = grid[1] / w[1];
    int nx = grid[2] / w[2];
    int n = w[0] * w[1] * w[2];
    float[] mask = new float[nd * nh * nx * n * n];
    int win = 0;
    for (int a = 0; a < nd; a++) {
      for (int b = 0; b < nh; b++) {
        for (int c = 0; c < nx; c++, win++) {
          int[] ids = new int[n];
          int t = 0;
          for (int d = 0; d < w[0]; d++) {
            for (int h = 0; h < w[1]; h++) {
              for (int x = 0; x < w[2]; x++) {
                ids[t++] = region[0][a * w[0] + d] * 9 + region[1][b * w[1] + h] * 3
                    + region[2][c * w[2] + x];
              }
            }
          }
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              mask[(win * n + i) * n + j] = ids[i] == ids[j] ? 0f : -100f;
            }
          }
        }
      }
    }
    return mask;
  }
}
