package org.bevt4j.core.data.transform;

import java.util.Arrays;

/**
 * Spatial augmentation and output settings for one stream, as read from
 * {@code bevt.data.<stream>}.
 *
 * @param train true for random training augmentation, false for {@link EvalSettings} views
 * @param cropSize side of the square crop (BEVT: 224)
 * @param scaleMin smallest short side for the random rescale; 0 = no rescale
 * @param scaleMax largest short side for the random rescale
 * @param interpolation kernel of the rescale ({@code bicubic} upstream)
 * @param flip probability of a horizontal flip
 * @param jitter colour jitter (images in BEVT)
 * @param mean per-channel mean (0..255 RGB) subtracted from the backbone input
 * @param std per-channel std dividing the backbone input
 * @param tokenizerSize side of the tokenizer copy; 0 = no copy
 * @param lanczosOrder Lanczos order of the tokenizer copy (OpenCV {@code INTER_LANCZOS4}: 4)
 * @param lanczosAntialias stretch the Lanczos kernel when downscaling (PIL style) instead of
 *     OpenCV's fixed taps
 * @param eval evaluation views, used when {@code train} is false
 */
public record AugmentSettings(
    boolean train,
    int cropSize,
    int scaleMin,
    int scaleMax,
    String interpolation,
    double flip,
    JitterSettings jitter,
    float[] mean,
    float[] std,
    int tokenizerSize,
    int lanczosOrder,
    boolean lanczosAntialias,
    EvalSettings eval) {
  public AugmentSettings {
    if (cropSize < 1) {
      throw new IllegalArgumentException("crop-size must be >= 1, got " + cropSize);
    }
    if (scaleMin < 0 || (scaleMin > 0 && scaleMax < scaleMin)) {
      throw new IllegalArgumentException("scale-range [" + scaleMin + ", " + scaleMax + "] is not a valid range");
    }
    if (!(flip >= 0 && flip <= 1)) {
      throw new IllegalArgumentException("flip must be a probability, got " + flip);
    }
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need 3 values (RGB)");
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std values must be > 0, got " + Arrays.toString(std));
      }
    }
    if (tokenizerSize < 0 || lanczosOrder < 1) {
      throw new IllegalArgumentException("tokenizer size must be >= 0 and lanczos order >= 1");
    }
    Kernel.named(interpolation, lanczosOrder);
  }

  /** BEVT's ImageNet mean (RGB, 0..255). */
  public static final float[] BEVT_MEAN = {123.675f, 116.28f, 103.53f};

  /** BEVT's ImageNet std (RGB, 0..255). */
  public static final float[] BEVT_STD = {58.395f, 57.12f, 57.375f};

  /**
   * BEVT's pretraining recipe for a stream: short side U[256, 320] bicubic, crop 224, flip 0.5,
   * jitter 0.4/0.4/0.4/0 for images only, tokenizer copy 112 (Lanczos4).
   */
  public static AugmentSettings bevt(boolean image) {
    return new AugmentSettings(
        true, 224, 256, 320, "bicubic", 0.5,
        image ? new JitterSettings(0.4, 0.4, 0.4, 0) : JitterSettings.none(),
        BEVT_MEAN.clone(), BEVT_STD.clone(), 112, 4, false,
        image ? new EvalSettings(256, "center", 1, "bilinear") : new EvalSettings(224, "three", 4, "bilinear"));
  }

  /** A copy with other crop/scale settings (handy for tiny configurations and tests). */
  public AugmentSettings withGeometry(int crop, int min, int max, int tokSize) {
    return new AugmentSettings(train, crop, min, max, interpolation, flip, jitter, mean, std, tokSize,
        lanczosOrder, lanczosAntialias, eval);
  }

  /** A copy in evaluation mode. */
  public AugmentSettings forEval(EvalSettings e) {
    return new AugmentSettings(false, cropSize, scaleMin, scaleMax, interpolation, 0, JitterSettings.none(),
        mean, std, 0, lanczosOrder, lanczosAntialias, e);
  }

  /** A copy with another flip probability and jitter. */
  public AugmentSettings withFlipAndJitter(double flipProb, JitterSettings j) {
    return new AugmentSettings(train, cropSize, scaleMin, scaleMax, interpolation, flipProb, j, mean, std,
        tokenizerSize, lanczosOrder, lanczosAntialias, eval);
  }
}
