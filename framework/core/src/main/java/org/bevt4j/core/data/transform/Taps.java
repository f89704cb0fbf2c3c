package org.bevt4j.core.data.transform;

/**
 * Precomputed 1-D resampling taps: for each output coordinate, {@link #taps()} source indices and
 * weights (summing to 1). Computed once per clip and shared by all its frames.
 *
 * <p>Coordinates follow the pixel-centre convention of OpenCV and PIL: output pixel {@code x} of a
 * {@code dst}-wide grid maps to source position {@code (x + 0.5) * src / dst - 0.5}.
 *
 * <ul>
 *   <li>Without antialiasing (OpenCV {@code cv2.resize}) the kernel keeps its width when
 *       downscaling and out-of-range taps replicate the border pixel.
 *   <li>With antialiasing (PIL {@code Image.resize}) the kernel is stretched by the downscaling
 *       factor and out-of-range taps are dropped before renormalising.
 * </ul>
 */
public final class Taps {
  private final int count;
  private final int taps;
  private final int[] index;
  private final float[] weight;
  private final int minIndex;
  private final int maxIndex;

  private Taps(int count, int taps, int[] index, float[] weight) {
    this.count = count;
    this.taps = taps;
    this.index = index;
    this.weight = weight;
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (int i = 0; i < index.length; i++) {
      if (weight[i] != 0f) {
        lo = Math.min(lo, index[i]);
        hi = Math.max(hi, index[i]);
      }
    }
    this.minIndex = lo == Integer.MAX_VALUE ? 0 : lo;
    this.maxIndex = hi == Integer.MIN_VALUE ? 0 : hi;
  }

  /**
   * Taps for output coordinates {@code [first, first + count)} of a {@code dstSize} grid resampled
   * from a {@code srcSize} grid.
   */
  public static Taps compute(int srcSize, int dstSize, int first, int count, Kernel kernel, boolean antialias) {
    if (srcSize <= 0 || dstSize <= 0 || count <= 0 || first < 0 || first + count > dstSize) {
      throw new IllegalArgumentException(
          "bad resampling window: src " + srcSize + ", dst " + dstSize + ", first " + first + ", count " + count);
    }
    double scale = (double) srcSize / dstSize;
    return antialias && scale > 1
        ? antialiased(srcSize, scale, first, count, kernel)
        : fixed(srcSize, scale, first, count, kernel);
  }

  private static Taps fixed(int srcSize, double scale, int first, int count, Kernel kernel) {
    int r = kernel.radius();
    int k = 2 * r;
    int[] idx = new int[count * k];
    float[] w = new float[count * k];
    double[] tmp = new double[k];
    for (int i = 0; i < count; i++) {
      double c = (first + i + 0.5) * scale - 0.5;
      int base = (int) Math.floor(c);
      double sum = 0;
      for (int j = 0; j < k; j++) {
        int s = base - r + 1 + j;
        tmp[j] = kernel.weight(c - s);
        sum += tmp[j];
      }
      for (int j = 0; j < k; j++) {
        int s = base - r + 1 + j;
        idx[i * k + j] = Math.min(Math.max(s, 0), srcSize - 1);
        w[i * k + j] = (float) (tmp[j] / sum);
      }
    }
    return new Taps(count, k, idx, w);
  }

  private static Taps antialiased(int srcSize, double scale, int first, int count, Kernel kernel) {
    double support = kernel.radius() * scale;
    int k = (int) Math.ceil(support) * 2 + 1;
    int[] idx = new int[count * k];
    float[] w = new float[count * k];
    double[] tmp = new double[k];
    for (int i = 0; i < count; i++) {
      double centre = (first + i + 0.5) * scale;
      int lo = Math.max((int) Math.floor(centre - support + 0.5), 0);
      int hi = Math.min((int) Math.floor(centre + support + 0.5), srcSize);
      int n = Math.min(hi - lo, k);
      double sum = 0;
      for (int j = 0; j < n; j++) {
        tmp[j] = kernel.weight((lo + j + 0.5 - centre) / scale);
        sum += tmp[j];
      }
      for (int j = 0; j < k; j++) {
        idx[i * k + j] = j < n ? lo + j : lo;
        w[i * k + j] = j < n && sum != 0 ? (float) (tmp[j] / sum) : 0f;
      }
    }
    return new Taps(count, k, idx, w);
  }

  /** The same taps in reverse output order (a horizontal flip of the output). */
  public Taps reversed() {
    int[] idx = new int[index.length];
    float[] w = new float[weight.length];
    for (int i = 0; i < count; i++) {
      System.arraycopy(index, (count - 1 - i) * taps, idx, i * taps, taps);
      System.arraycopy(weight, (count - 1 - i) * taps, w, i * taps, taps);
    }
    return new Taps(count, taps, idx, w);
  }

  /** Number of output coordinates. */
  public int count() {
    return count;
  }

  /** Taps per output coordinate. */
  public int taps() {
    return taps;
  }

  /** Source index of tap {@code j} of output {@code i}. */
  public int index(int i, int j) {
    return index[i * taps + j];
  }

  /** Weight of tap {@code j} of output {@code i}. */
  public float weight(int i, int j) {
    return weight[i * taps + j];
  }

  /** Smallest source index with a non-zero weight. */
  public int minIndex() {
    return minIndex;
  }

  /** Largest source index with a non-zero weight. */
  public int maxIndex() {
    return maxIndex;
  }

  int[] indexArray() {
    return index;
  }

  float[] weightArray() {
    return weight;
  }
}
