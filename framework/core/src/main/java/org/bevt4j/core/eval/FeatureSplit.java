package org.bevt4j.core.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic, class-stratified train/validation split of a {@link FeatureSet}: within each class
 * the samples are shuffled with the seed and {@code round(n_c * fraction)} go to validation, keeping
 * at least one training sample per class (a class with a single sample stays in training).
 *
 * @param train the training part
 * @param val the validation part
 */
public record FeatureSplit(FeatureSet train, FeatureSet val) {
  /** Splits {@code all}; throws when the validation part would be empty. */
  public static FeatureSplit stratified(FeatureSet all, double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation fraction " + fraction + " must be in (0, 1)");
    }
    int classes = all.numClasses();
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < all.size(); i++) {
      byClass.get(all.labels()[i]).add(i);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> val = new ArrayList<>();
    for (List<Integer> members : byClass) {
      for (int i = members.size() - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        Integer t = members.get(i);
        members.set(i, members.get(j));
        members.set(j, t);
      }
      int n = members.size();
      int nVal = n < 2 ? 0 : (int) Math.min(n - 1, Math.max(0, Math.round(n * fraction)));
      val.addAll(members.subList(0, nVal));
      train.addAll(members.subList(nVal, n));
    }
    if (val.isEmpty()) {
      throw new IllegalArgumentException(
          "the validation split is empty: " + all.size() + " samples, fraction " + fraction
              + " (use more samples, a larger fraction or a separate validation set)");
    }
    train.sort(null);
    val.sort(null);
    return new FeatureSplit(subset(all, train), subset(all, val));
  }

  private static FeatureSet subset(FeatureSet all, List<Integer> idx) {
    float[][] f = new float[idx.size()][];
    int[] l = new int[idx.size()];
    for (int k = 0; k < idx.size(); k++) {
      f[k] = all.features()[idx.get(k)];
      l[k] = all.labels()[idx.get(k)];
    }
    return new FeatureSet(f, l);
  }
}
