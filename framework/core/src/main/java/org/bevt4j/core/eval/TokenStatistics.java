package org.bevt4j.core.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * Statistics of discrete token maps: codebook usage, perplexity, agreement and mutual information.
 * Entropies are in bits. Inputs are flat id arrays (all positions of all frames).
 */
public final class TokenStatistics {
  private TokenStatistics() {}

  /** Fraction of the vocabulary used at least once. */
  public static double codebookUsage(long[] ids, int vocab) {
    boolean[] used = new boolean[vocab];
    int n = 0;
    for (long id : ids) {
      if (id >= 0 && id < vocab && !used[(int) id]) {
        used[(int) id] = true;
        n++;
      }
    }
    return n / (double) vocab;
  }

  /** Shannon entropy (bits) of the id distribution. */
  public static double entropy(long[] ids) {
    Map<Long, Integer> counts = new HashMap<>();
    for (long id : ids) {
      counts.merge(id, 1, Integer::sum);
    }
    double h = 0;
    for (int c : counts.values()) {
      double p = c / (double) ids.length;
      h -= p * log2(p);
    }
    return h;
  }

  /** Perplexity = 2^entropy: the effective number of codes in use. */
  public static double perplexity(long[] ids) {
    return Math.pow(2, entropy(ids));
  }

  /** Mutual information I(A; B) in bits between paired discrete values. */
  public static double mutualInformation(long[] a, long[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired arrays differ in length: " + a.length + " vs " + b.length);
    }
    int n = a.length;
    Map<Long, Integer> ca = new HashMap<>();
    Map<Long, Integer> cb = new HashMap<>();
    Map<Long, Map<Long, Integer>> joint = new HashMap<>();
    for (int i = 0; i < n; i++) {
      ca.merge(a[i], 1, Integer::sum);
      cb.merge(b[i], 1, Integer::sum);
      joint.computeIfAbsent(a[i], k -> new HashMap<>()).merge(b[i], 1, Integer::sum);
    }
    double mi = 0;
    for (Map.Entry<Long, Map<Long, Integer>> e : joint.entrySet()) {
      double pa = ca.get(e.getKey()) / (double) n;
      for (Map.Entry<Long, Integer> f : e.getValue().entrySet()) {
        double pab = f.getValue() / (double) n;
        double pb = cb.get(f.getKey()) / (double) n;
        mi += pab * log2(pab / (pa * pb));
      }
    }
    return Math.max(0, mi);
  }

  /** Normalised mutual information 2 I(A;B) / (H(A) + H(B)) in [0, 1] (1 = the same partition). */
  public static double normalisedMutualInformation(long[] a, long[] b) {
    double ha = entropy(a);
    double hb = entropy(b);
    if (ha + hb == 0) {
      return 1;
    }
    return 2 * mutualInformation(a, b) / (ha + hb);
  }

  /** Fraction of positions where two id arrays are equal. */
  public static double agreement(long[] a, long[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("arrays differ in length: " + a.length + " vs " + b.length);
    }
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        same++;
      }
    }
    return a.length == 0 ? 0 : same / (double) a.length;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
