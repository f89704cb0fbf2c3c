package org.bevt4j.core.data.transform;

/**
 * Colour jitter strengths as in BEVT's {@code ColorJitter}: brightness, contrast and saturation
 * factors are drawn from {@code [1 - x, 1 + x]}, the hue shift from {@code [-hue, hue]}. All zero
 * disables the transform.
 */
public record JitterSettings(double brightness, double contrast, double saturation, double hue) {
  public JitterSettings {
    check("brightness", brightness, 1);
    check("contrast", contrast, 1);
    check("saturation", saturation, 1);
    check("hue", hue, 0.5);
  }

  private static void check(String name, double v, double max) {
    if (!(v >= 0 && v <= max)) {
      throw new IllegalArgumentException("color-jitter." + name + " = " + v + " must be in [0, " + max + "]");
    }
  }

  /** No jitter. */
  public static JitterSettings none() {
    return new JitterSettings(0, 0, 0, 0);
  }

  public boolean enabled() {
    return brightness > 0 || contrast > 0 || saturation > 0 || hue > 0;
  }
}
