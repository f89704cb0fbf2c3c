package org.bevt4j.core.finetune;

import java.io.IOException;
import java.util.List;
import java.util.random.RandomGenerator;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.loader.DataLoader;

/**
 * A view of some samples of another dataset (a train / validation split): index {@code i} is the
 * base dataset's {@code indices[i]}. Closing the view closes the base dataset.
 */
public final class SubsetDataset implements Dataset, DataLoader.Describable {
  private final Dataset base;
  private final long[] indices;

  public SubsetDataset(Dataset base, long[] indices) {
    for (long i : indices) {
      if (i < 0 || i >= base.size()) {
        throw new IllegalArgumentException("subset index " + i + " outside [0, " + base.size() + ")");
      }
    }
    this.base = base;
    this.indices = indices.clone();
  }

  /**
   * Splits {@code [0, size)} into a held-out part of {@code round(fraction x size)} indices (at least
   * one) and the rest, by a permutation seeded with {@code seed}; both parts sorted.
   *
   * @return {@code [rest, heldOut]}
   */
  public static long[][] split(long size, double fraction, long seed) {
    int n = Math.toIntExact(size);
    int held = (int) Math.max(1, Math.round(fraction * n));
    if (held >= n) {
      throw new IllegalArgumentException("cannot hold out " + held + " of " + n + " samples and still train");
    }
    long[] perm = new long[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      long t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    long[] out = java.util.Arrays.copyOfRange(perm, 0, held);
    long[] rest = java.util.Arrays.copyOfRange(perm, held, n);
    java.util.Arrays.sort(out);
    java.util.Arrays.sort(rest);
    return new long[][] {rest, out};
  }

  @Override
  public StreamKind stream() {
    return base.stream();
  }

  @Override
  public long size() {
    return indices.length;
  }

  @Override
  public List<String> classes() {
    return base.classes();
  }

  @Override
  public Sample load(long index, RandomGenerator rng) throws IOException {
    return base.load(indices[Math.toIntExact(index)], rng);
  }

  @Override
  public String describe(long index) {
    long i = indices[Math.toIntExact(index)];
    return base instanceof DataLoader.Describable d ? d.describe(i) : base.stream().configName() + " sample " + i;
  }

  @Override
  public void close() {
    base.close();
  }
}
