package org.bevt4j.cli.tokens;

import org.bevt4j.core.data.transform.Kernel;
import org.bevt4j.core.data.transform.Resampler;
import org.bevt4j.core.data.transform.RgbFrame;
import org.bevt4j.core.data.transform.Taps;

/**
 * Turns a picture into tokenizer input: the centred square of its short side, resized to
 * {@code size x size} with the data package's Lanczos resampler (PIL-style antialiasing when
 * shrinking, so large photos do not alias), as channels-first floats in [0, 1].
 *
 * @param size output side in pixels
 * @param lanczosOrder Lanczos order (4 = OpenCV's INTER_LANCZOS4, BEVT's tokenizer copy)
 */
public record SquareResize(int size, int lanczosOrder) {
  public SquareResize {
    if (size < 1 || lanczosOrder < 1) {
      throw new IllegalArgumentException("size and Lanczos order must be >= 1, found " + size + " and " + lanczosOrder);
    }
  }

  /** {@code (3, size, size)} values in [0, 1]. */
  public float[] apply(RgbFrame f) {
    int shortSide = Math.min(f.width(), f.height());
    int dstW = Math.max(size, (int) Math.round((double) f.width() * size / shortSide));
    int dstH = Math.max(size, (int) Math.round((double) f.height() * size / shortSide));
    Kernel k = Kernel.lanczos(lanczosOrder);
    Taps xs = Taps.compute(f.width(), dstW, (dstW - size) / 2, size, k, true);
    Taps ys = Taps.compute(f.height(), dstH, (dstH - size) / 2, size, k, true);
    int plane = size * size;
    float[] out = new float[3 * plane];
    Resampler.rgbToPlanes(f, xs, ys, out, 0, plane);
    for (int i = 0; i < out.length; i++) {
      out[i] /= 255f;
    }
    return out;
  }
}
