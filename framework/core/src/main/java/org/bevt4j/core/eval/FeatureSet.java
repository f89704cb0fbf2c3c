package org.bevt4j.core.eval;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;

/**
 * Pooled backbone features with their labels, as cached on disk ({@code features} (N, D) float32 and
 * {@code labels} (N) int64 in one safetensors file).
 */
public record FeatureSet(float[][] features, int[] labels) {
  public FeatureSet {
    if (features.length != labels.length) {
      throw new IllegalArgumentException(features.length + " feature rows but " + labels.length + " labels");
    }
  }

  public int size() {
    return labels.length;
  }

  public int dim() {
    return features.length == 0 ? 0 : features[0].length;
  }

  /** Number of classes = max label + 1. */
  public int numClasses() {
    int m = -1;
    for (int l : labels) {
      m = Math.max(m, l);
    }
    return m + 1;
  }

  public void save(Path file, Map<String, String> metadata) {
    int n = size();
    int d = dim();
    float[] flat = new float[n * d];
    long[] lab = new long[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(features[i], 0, flat, i * d, d);
      lab[i] = labels[i];
    }
    Map<String, TensorData> t = new LinkedHashMap<>();
    t.put("features", TensorData.ofFloats(flat, n, d));
    t.put("labels", TensorData.ofLongs(lab, n));
    SafeTensors.write(file, t, metadata);
  }

  public static FeatureSet load(Path file) {
    StateDict sd = SafeTensors.read(file);
    TensorData f = sd.get("features");
    long[] shape = f.shape();
    int n = (int) shape[0];
    int d = (int) shape[1];
    float[] flat = f.toFloats();
    float[][] rows = new float[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * d, rows[i], 0, d);
    }
    long[] lab = sd.get("labels").toLongs();
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (int) lab[i];
    }
    return new FeatureSet(rows, labels);
  }
}
