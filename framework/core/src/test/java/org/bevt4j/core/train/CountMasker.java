package org.bevt4j.core.train;

import java.util.random.RandomGenerator;
import org.bevt4j.api.Masker;
import org.bevt4j.api.TokenGrid;

/** Masks exactly {@code round(ratio · size)} (at least 1) positions, uniformly without replacement. */
final class CountMasker implements Masker {
  private final double ratio;

  CountMasker(double ratio) {
    this.ratio = ratio;
  }

  @Override
  public boolean[] sample(TokenGrid grid, RandomGenerator rng) {
    int n = grid.size();
    int k = Math.max(1, (int) Math.round(ratio * n));
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    boolean[] m = new boolean[n];
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
      m[idx[i]] = true;
    }
    return m;
  }
}
