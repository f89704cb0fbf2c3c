package org.bevt4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The factorized relative-position bias against the single embedding lookup of index[:N, :N]. */
class RelativePositionBiasTest {

  /** {bias, table gradient} under a non-uniform upstream gradient. */
  private static NDArray[] withGrad(NDArray table0, Function<NDArray, NDArray> bias) {
    NDArray table = table0.duplicate();
    table.setRequiresGradient(true);
    NDArray out;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray y = bias.apply(table);
      out = y.duplicate();
      NDArray w = y.getManager().arange((float) y.size()).reshape(y.getShape()).mul(0.37f).sin();
      gc.backward(y.mul(w).sum());
    }
    return new NDArray[] {out, table.getGradient().duplicate()};
  }

  private static void check(int[] window, int n, int heads) {
    try (NDManager m = NDManager.newBaseManager()) {
      WindowCaches caches = new WindowCaches(() -> m);
      NDArray table = m.randomNormal(new Shape(RelativePositionIndex.tableRows(window), heads));
      NDArray[] fact = withGrad(table, t -> RelativePositionBias.factorized(t, window, n, heads, caches));
      NDArray[] gath = withGrad(table, t -> RelativePositionBias.gathered(t, caches.biasIndex(window, n), n, heads));
      String what = java.util.Arrays.toString(window) + " n=" + n;
      assertThat(fact[0].getShape()).as(what).isEqualTo(new Shape(heads, n, n));
      // a pure gather: bit-identical values
      assertThat(fact[0].toFloatArray()).as(what + " forward").containsExactly(gath[0].toFloatArray());
      // the same sums in another order
      float[] a = fact[1].toFloatArray();
      float[] r = gath[1].toFloatArray();
      double max = 0;
      for (float x : r) {
        max = Math.max(max, Math.abs(x));
      }
      assertThat(max).as(what + " gradient is not all zero").isGreaterThan(0);
      for (int i = 0; i < a.length; i++) {
        assertThat((double) Math.abs(a[i] - r[i])).as(what + " grad[" + i + "]").isLessThanOrEqualTo(1e-5 * max + 1e-5 * Math.abs(r[i]));
      }
      // of() takes the factorized path exactly where it applies, and gives the same values
      assertThat(RelativePositionBias.factorizes(window, n)).isTrue();
      assertThat(RelativePositionBias.of(table, window, n, heads, caches).toFloatArray()).containsExactly(gath[0].toFloatArray());
    }
  }

  @Test
  void fullWindowMatchesTheLookupForwardAndBackward() {
    check(new int[] {2, 3, 4}, 24, 3);
    check(new int[] {4, 4, 4}, 64, 2);
  }

  @Test
  void windowTruncatedInTimeAndTheImageStreamPlaneMatch() {
    check(new int[] {3, 2, 3}, 12, 2); // first 2 of 3 frames
    check(new int[] {4, 3, 2}, 6, 4); // t = 1: the image stream's n = Wh*Ww plane
  }

  @Test
  void windowsClippedInHeightOrWidthFallBackToTheLookup() {
    int[] window = {2, 3, 3};
    try (NDManager m = NDManager.newBaseManager()) {
      WindowCaches caches = new WindowCaches(() -> m);
      NDArray table = m.randomNormal(new Shape(RelativePositionIndex.tableRows(window), 2));
      // a (2, 2, 3) clipped window has 12 tokens: index[:12, :12] is no sub-grid of the 2x3x3 window
      int n = 12;
      assertThat(RelativePositionBias.factorizes(window, n)).isFalse();
      assertThat(RelativePositionBias.of(table, window, n, 2, caches).toFloatArray())
          .containsExactly(RelativePositionBias.gathered(table, caches.biasIndex(window, n), n, 2).toFloatArray());
      assertThatThrownBy(() -> RelativePositionBias.factorized(table, window, n, 2, caches))
          .hasMessageContaining("12 tokens").hasMessageContaining("3x3 planes");
      assertThat(RelativePositionBias.factorizes(window, 27)).isFalse(); // more than the window
    }
  }
}
