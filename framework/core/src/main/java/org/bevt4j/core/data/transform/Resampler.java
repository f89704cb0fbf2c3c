package org.bevt4j.core.data.transform;

import java.util.Arrays;

/**
 * Separable two-pass resampling with precomputed {@link Taps}: a horizontal pass over only the
 * source rows the output needs, then a vertical pass. Crop and flip are folded into the taps, so a
 * rescale + crop + flip costs one resampling of the crop window only. No per-pixel allocation; the
 * intermediate rows live in per-thread scratch buffers.
 */
public final class Resampler {
  private Resampler() {}

  /**
   * Resamples a packed RGB frame into three float planes (values clamped to [0, 255]).
   *
   * @param dst destination array; channel {@code c} row {@code y} starts at {@code dstOffset + c *
   *     planeStride + y * xs.count()}
   */
  public static void rgbToPlanes(RgbFrame src, Taps xs, Taps ys, float[] dst, int dstOffset, int planeStride) {
    int w = xs.count();
    int h = ys.count();
    int kx = xs.taps();
    int r0 = ys.minIndex();
    int r1 = ys.maxIndex();
    if (xs.maxIndex() >= src.width() || r1 >= src.height()) {
      throw new IllegalArgumentException("taps exceed the " + src.width() + "x" + src.height() + " source");
    }
    Scratch scratch = Scratch.get();
    int rowLen = w * 3;
    float[] tmp = scratch.rows((r1 - r0 + 1) * rowLen);
    byte[] s = src.data();
    int[] xi = xs.indexArray();
    float[] xw = xs.weightArray();
    int srcRow = src.width() * 3;
    for (int r = r0; r <= r1; r++) {
      int rowOff = r * srcRow;
      int to = (r - r0) * rowLen;
      for (int x = 0; x < w; x++) {
        float a0 = 0;
        float a1 = 0;
        float a2 = 0;
        int b = x * kx;
        for (int j = 0; j < kx; j++) {
          float ww = xw[b + j];
          int p = rowOff + xi[b + j] * 3;
          a0 += ww * (s[p] & 0xFF);
          a1 += ww * (s[p + 1] & 0xFF);
          a2 += ww * (s[p + 2] & 0xFF);
        }
        tmp[to + 3 * x] = a0;
        tmp[to + 3 * x + 1] = a1;
        tmp[to + 3 * x + 2] = a2;
      }
    }
    float[] acc = scratch.acc(rowLen);
    int ky = ys.taps();
    int[] yi = ys.indexArray();
    float[] yw = ys.weightArray();
    for (int y = 0; y < h; y++) {
      Arrays.fill(acc, 0, rowLen, 0f);
      for (int j = 0; j < ky; j++) {
        float ww = yw[y * ky + j];
        if (ww == 0f) {
          continue;
        }
        int from = (yi[y * ky + j] - r0) * rowLen;
        for (int i = 0; i < rowLen; i++) {
          acc[i] += ww * tmp[from + i];
        }
      }
      int o = dstOffset + y * w;
      for (int x = 0; x < w; x++) {
        dst[o + x] = clamp(acc[3 * x], 0f, 255f);
        dst[o + planeStride + x] = clamp(acc[3 * x + 1], 0f, 255f);
        dst[o + 2 * planeStride + x] = clamp(acc[3 * x + 2], 0f, 255f);
      }
    }
  }

  /**
   * Resamples one float plane of {@code srcWidth} columns, then multiplies by {@code gain} and clamps
   * to [lo, hi]. Runs the vertical pass first when that leaves less gather work (downscaling), so
   * the contiguous, vectorisable pass does the bulk.
   */
  public static void plane(
      float[] src, int srcOffset, int srcWidth, int srcHeight, Taps xs, Taps ys,
      float[] dst, int dstOffset, float gain, float lo, float hi) {
    if (xs.maxIndex() >= srcWidth || ys.maxIndex() >= srcHeight) {
      throw new IllegalArgumentException("taps exceed the " + srcWidth + "x" + srcHeight + " source plane");
    }
    long rows = ys.maxIndex() - ys.minIndex() + 1L;
    long horizontalFirst = rows * xs.count() * xs.taps() + (long) ys.count() * xs.count() * ys.taps() / 4;
    long verticalFirst = (long) ys.count() * (xs.maxIndex() - xs.minIndex() + 1) * ys.taps() / 4
        + (long) ys.count() * xs.count() * xs.taps();
    if (verticalFirst < horizontalFirst) {
      planeVerticalFirst(src, srcOffset, srcWidth, xs, ys, dst, dstOffset, gain, lo, hi);
    } else {
      planeHorizontalFirst(src, srcOffset, srcWidth, xs, ys, dst, dstOffset, gain, lo, hi);
    }
  }

  private static void planeHorizontalFirst(
      float[] src, int srcOffset, int srcWidth, Taps xs, Taps ys, float[] dst, int dstOffset, float gain, float lo, float hi) {
    int w = xs.count();
    int h = ys.count();
    int kx = xs.taps();
    int r0 = ys.minIndex();
    int r1 = ys.maxIndex();
    Scratch scratch = Scratch.get();
    float[] tmp = scratch.rows((r1 - r0 + 1) * w);
    int[] xi = xs.indexArray();
    float[] xw = xs.weightArray();
    for (int r = r0; r <= r1; r++) {
      int rowOff = srcOffset + r * srcWidth;
      int to = (r - r0) * w;
      for (int x = 0; x < w; x++) {
        float a = 0;
        int b = x * kx;
        for (int j = 0; j < kx; j++) {
          a += xw[b + j] * src[rowOff + xi[b + j]];
        }
        tmp[to + x] = a;
      }
    }
    float[] acc = scratch.acc(w);
    int ky = ys.taps();
    int[] yi = ys.indexArray();
    float[] yw = ys.weightArray();
    for (int y = 0; y < h; y++) {
      Arrays.fill(acc, 0, w, 0f);
      for (int j = 0; j < ky; j++) {
        float ww = yw[y * ky + j];
        if (ww == 0f) {
          continue;
        }
        int from = (yi[y * ky + j] - r0) * w;
        for (int i = 0; i < w; i++) {
          acc[i] += ww * tmp[from + i];
        }
      }
      int o = dstOffset + y * w;
      for (int x = 0; x < w; x++) {
        dst[o + x] = clamp(acc[x] * gain, lo, hi);
      }
    }
  }

  private static void planeVerticalFirst(
      float[] src, int srcOffset, int srcWidth, Taps xs, Taps ys, float[] dst, int dstOffset, float gain, float lo, float hi) {
    int w = xs.count();
    int h = ys.count();
    int c0 = xs.minIndex();
    int cols = xs.maxIndex() - c0 + 1;
    int ky = ys.taps();
    int[] yi = ys.indexArray();
    float[] yw = ys.weightArray();
    int kx = xs.taps();
    int[] xi = xs.indexArray();
    float[] xw = xs.weightArray();
    float[] row = Scratch.get().rows(cols);
    for (int y = 0; y < h; y++) {
      Arrays.fill(row, 0, cols, 0f);
      for (int j = 0; j < ky; j++) {
        float ww = yw[y * ky + j];
        if (ww == 0f) {
          continue;
        }
        int from = srcOffset + yi[y * ky + j] * srcWidth + c0;
        for (int i = 0; i < cols; i++) {
          row[i] += ww * src[from + i];
        }
      }
      int o = dstOffset + y * w;
      for (int x = 0; x < w; x++) {
        float a = 0;
        int b = x * kx;
        for (int j = 0; j < kx; j++) {
          a += xw[b + j] * row[xi[b + j] - c0];
        }
        dst[o + x] = clamp(a * gain, lo, hi);
      }
    }
  }

  static float clamp(float v, float lo, float hi) {
    return v < lo ? lo : (v > hi ? hi : v);
  }
}
