package org.bevt4j.core.eval;

/**
 * Multi-clip x multi-crop testing: the class scores of all views of one video are averaged after a
 * softmax (mmaction's {@code average_clips = 'prob'}), then top-k is taken on the average.
 */
public final class MultiViewScores {
  private final int classes;
  private final double[] sum;
  private int views;

  public MultiViewScores(int classes) {
    this.classes = classes;
    this.sum = new double[classes];
  }

  /** Adds one view's logits. */
  public void addLogits(float[] logits) {
    if (logits.length != classes) {
      throw new IllegalArgumentException("expected " + classes + " logits, got " + logits.length);
    }
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double z = 0;
    double[] e = new double[classes];
    for (int i = 0; i < classes; i++) {
      e[i] = Math.exp(logits[i] - max);
      z += e[i];
    }
    for (int i = 0; i < classes; i++) {
      sum[i] += e[i] / z;
    }
    views++;
  }

  public int views() {
    return views;
  }

  /** Mean probability per class over the views added. */
  public float[] average() {
    float[] out = new float[classes];
    for (int i = 0; i < classes; i++) {
      out[i] = views == 0 ? 0 : (float) (sum[i] / views);
    }
    return out;
  }
}
