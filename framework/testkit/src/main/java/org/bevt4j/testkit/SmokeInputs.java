package org.bevt4j.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;

/** Seeded random inputs, masks and regression targets for the smoke harness (Java RNG, so reproducible). */
final class SmokeInputs {
  private SmokeInputs() {}

  /** Standard-normal floats of the given shape. */
  static NDArray normal(NDManager m, Shape shape, long seed) {
    Random r = new Random(seed);
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return m.create(v, shape);
  }

  /**
   * A boolean mask {@code (B, t, h, w)} (video) or {@code (B, h, w)} (image) with
   * {@code round(ratio * n)} positions per sample set, at least one set and one clear.
   */
  static NDArray mask(NDManager m, StreamKind stream, int batch, TokenGrid grid, double ratio, long seed) {
    int n = grid.size();
    if (n < 2) {
      throw new IllegalArgumentException("the mask grid " + grid + " has fewer than 2 positions; use a larger smoke input");
    }
    int k = (int) Math.max(1, Math.min(n - 1, Math.round(ratio * n)));
    boolean[] data = new boolean[batch * n];
    Random r = new Random(seed);
    for (int b = 0; b < batch; b++) {
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      for (int i = n - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
      }
      for (int i = 0; i < k; i++) {
        data[b * n + idx[i]] = true;
      }
    }
    Shape shape =
        stream == StreamKind.VIDEO ? new Shape(batch, grid.t(), grid.h(), grid.w()) : new Shape(batch, grid.h(), grid.w());
    return m.create(data, shape);
  }
}
