package org.bevt4j.core.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates class scores and labels and reports top-k accuracy, the confusion matrix (rows = true
 * class, columns = predicted) and per-class accuracy. Ties in scores go to the lower class index, as
 * {@code torch.topk} on CPU does for equal values in practice.
 */
public final class ClassificationMetrics {
  private final int numClasses;
  private final long[][] confusion;
  private long count;
  private long top1;
  private long top5;

  public ClassificationMetrics(int numClasses) {
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1");
    }
    this.numClasses = numClasses;
    this.confusion = new long[numClasses][numClasses];
  }

  /** Adds one sample's scores (length numClasses) and its true label. */
  public void add(float[] scores, int label) {
    if (scores.length != numClasses) {
      throw new IllegalArgumentException("expected " + numClasses + " scores, got " + scores.length);
    }
    if (label < 0 || label >= numClasses) {
      throw new IllegalArgumentException("label " + label + " outside [0, " + numClasses + ")");
    }
    int[] order = topK(scores, Math.min(5, numClasses));
    confusion[label][order[0]]++;
    count++;
    if (order[0] == label) {
      top1++;
    }
    for (int c : order) {
      if (c == label) {
        top5++;
        break;
      }
    }
  }

  /** Indices of the k largest scores, largest first, ties to the lower index. */
  static int[] topK(float[] scores, int k) {
    int[] out = new int[k];
    boolean[] used = new boolean[scores.length];
    for (int i = 0; i < k; i++) {
      int best = -1;
      for (int c = 0; c < scores.length; c++) {
        if (!used[c] && (best < 0 || scores[c] > scores[best])) {
          best = c;
        }
      }
      used[best] = true;
      out[i] = best;
    }
    return out;
  }

  public long count() {
    return count;
  }

  public double top1() {
    return count == 0 ? 0 : top1 / (double) count;
  }

  /** Top-5 accuracy (top-k with k = min(5, classes)). */
  public double top5() {
    return count == 0 ? 0 : top5 / (double) count;
  }

  public long[][] confusion() {
    long[][] c = new long[numClasses][];
    for (int i = 0; i < numClasses; i++) {
      c[i] = confusion[i].clone();
    }
    return c;
  }

  /** Accuracy per true class (NaN for classes with no sample). */
  public double[] perClassAccuracy() {
    double[] out = new double[numClasses];
    for (int i = 0; i < numClasses; i++) {
      long n = 0;
      for (long v : confusion[i]) {
        n += v;
      }
      out[i] = n == 0 ? Double.NaN : confusion[i][i] / (double) n;
    }
    return out;
  }

  /** Mean of the per-class accuracies over classes that have samples. */
  public double meanClassAccuracy() {
    double s = 0;
    int n = 0;
    for (double a : perClassAccuracy()) {
      if (!Double.isNaN(a)) {
        s += a;
        n++;
      }
    }
    return n == 0 ? 0 : s / n;
  }

  public int numClasses() {
    return numClasses;
  }

  /** A summary map (top1, top5, mean_class_acc, count). */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("top1", top1());
    m.put("top5", top5());
    m.put("mean_class_acc", meanClassAccuracy());
    m.put("count", count);
    return m;
  }

  /** Per-class lines "name: acc (n)" for reports. */
  public List<String> perClassReport(List<String> classNames) {
    List<String> out = new ArrayList<>();
    double[] acc = perClassAccuracy();
    for (int i = 0; i < numClasses; i++) {
      long n = 0;
      for (long v : confusion[i]) {
        n += v;
      }
      String name = classNames != null && i < classNames.size() ? classNames.get(i) : String.valueOf(i);
      out.add(String.format("%-24s %6.2f%%  (%d)", name, 100 * (Double.isNaN(acc[i]) ? 0 : acc[i]), n));
    }
    return out;
  }
}
