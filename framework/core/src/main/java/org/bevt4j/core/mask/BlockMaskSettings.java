package org.bevt4j.core.mask;

import org.bevt4j.api.Settings;

/**
 * Settings of BEiT block-wise masking.
 *
 * @param maskRatio fraction of the plane to mask when {@code numMaskingPatches} is not given (BEVT: 0.5)
 * @param numMaskingPatches explicit count (BEVT: 98 of 14x14), or -1 to use the ratio
 * @param minNumPatches minimum block area (BEVT: 16)
 * @param maxNumPatches maximum block area, or -1 for the masking count
 * @param minAspect minimum aspect ratio (0.3); the maximum is {@code maxAspect} or 1/minAspect
 * @param maxAspect maximum aspect ratio, or -1 for 1/minAspect
 * @param attempts placement attempts per block (10)
 */
public record BlockMaskSettings(
    double maskRatio, int numMaskingPatches, int minNumPatches, int maxNumPatches, double minAspect, double maxAspect, int attempts) {

  public BlockMaskSettings {
    if (!(maskRatio > 0 && maskRatio < 1)) {
      throw new IllegalArgumentException("mask-ratio must be in (0, 1), got " + maskRatio);
    }
    if (minAspect <= 0 || (maxAspect > 0 && maxAspect < minAspect)) {
      throw new IllegalArgumentException("aspect range [" + minAspect + ", " + maxAspect + "] is invalid");
    }
  }

  /** BEVT's image masking: 98 patches, min 16, aspect 0.3..1/0.3, 10 attempts. */
  public static BlockMaskSettings bevt() {
    return new BlockMaskSettings(0.5, -1, 16, -1, 0.3, -1, 10);
  }

  /** Reads {@code bevt.masking.<stream>} (block keys). */
  public static BlockMaskSettings from(Settings s) {
    return new BlockMaskSettings(
        s.numberIn("mask-ratio", 1e-6, 1 - 1e-6),
        s.isNull("num-masking-patches") ? -1 : s.intIn("num-masking-patches", 1, Integer.MAX_VALUE),
        s.intIn("min-num-patches", 1, Integer.MAX_VALUE),
        s.isNull("max-num-patches") ? -1 : s.intIn("max-num-patches", 1, Integer.MAX_VALUE),
        s.numberIn("min-aspect", 1e-3, 1e3),
        s.isNull("max-aspect") ? -1 : s.numberIn("max-aspect", 1e-3, 1e3),
        s.intIn("attempts", 1, 1000));
  }

  /** The number of cells to mask on an h x w plane. */
  public int target(int h, int w) {
    int n = numMaskingPatches > 0 ? numMaskingPatches : (int) Math.round(maskRatio * h * w);
    return Math.max(1, Math.min(n, h * w));
  }
}
