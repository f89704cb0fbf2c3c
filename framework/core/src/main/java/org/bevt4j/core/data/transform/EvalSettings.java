package org.bevt4j.core.data.transform;

/**
 * Deterministic evaluation views (finetune / probe): resize the short side, then a centre crop or
 * three crops along the long side, for each of {@code clips} uniformly spaced clips.
 *
 * @param shortSide short side after resizing (mmaction {@code Resize(-1, s)})
 * @param crop {@code center} or {@code three}
 * @param clips clips per video (multi-clip testing); 1 for images
 * @param interpolation {@code bilinear} (mmaction's test-time default), {@code bicubic} or
 *     {@code lanczos}
 */
public record EvalSettings(int shortSide, String crop, int clips, String interpolation) {
  public EvalSettings {
    if (shortSide < 1 || clips < 1) {
      throw new IllegalArgumentException("eval short-side and clips must be >= 1");
    }
    if (!crop.equals("center") && !crop.equals("three")) {
      throw new IllegalArgumentException("eval crop must be center or three, got " + crop);
    }
  }

  /** Crops per clip. */
  public int crops() {
    return crop.equals("three") ? 3 : 1;
  }

  /** Views per sample: clips x crops. */
  public int views() {
    return clips * crops();
  }
}
