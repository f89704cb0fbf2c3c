package org.bevt4j.core.data.transform;

/**
 * Per-thread reusable float buffers for the resampler's intermediate rows, so that steady-state
 * augmentation allocates nothing but its output tensors.
 */
final class Scratch {
  private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

  private float[] rows = new float[0];
  private float[] acc = new float[0];

  static Scratch get() {
    return LOCAL.get();
  }

  float[] rows(int n) {
    if (rows.length < n) {
      rows = new float[Math.max(n, rows.length + rows.length / 2)];
    }
    return rows;
  }

  float[] acc(int n) {
    if (acc.length < n) {
      acc = new float[Math.max(n, acc.length + acc.length / 2)];
    }
    return acc;
  }
}
