package org.bevt4j.core.data.transform;

import java.util.random.RandomGenerator;

/**
 * BEVT's {@code ColorJitter} on float RGB planes (0..255): brightness (scale), contrast (blend with
 * the mean grey level of the whole picture), saturation (blend with the per-pixel grey) and hue
 * (rotation in HSV, OpenCV's 8-bit hue units), applied in a random order and clipped once at the
 * end.
 *
 * <p>Brightness, contrast and saturation are affine in RGB, so consecutive ones are folded into one
 * 3x3 matrix plus offset and applied in a single pass. The contrast mean is tracked analytically from
 * the mean colour of the full source picture, so jitter can run on the crop only and still match
 * jitter-before-crop. Differences from upstream: the order is drawn per sample (upstream fixes one
 * permutation per pipeline instance) and values are not re-quantised to 8 bits.
 */
public final class ColorJitter {
  private static final double WR = 0.2989;
  private static final double WG = 0.587;
  private static final double WB = 0.114;

  private final JitterSettings settings;

  /** Factors for one sample. */
  public record Params(int[] order, double brightness, double contrast, double saturation, double hue) {}

  public ColorJitter(JitterSettings settings) {
    this.settings = settings;
  }

  public boolean enabled() {
    return settings.enabled();
  }

  /** Draws the factors and the order for one sample. */
  public Params sample(RandomGenerator rng) {
    int[] order = {0, 1, 2, 3};
    for (int i = 3; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    double b = uniform(rng, 1 - settings.brightness(), 1 + settings.brightness());
    double c = uniform(rng, 1 - settings.contrast(), 1 + settings.contrast());
    double s = uniform(rng, 1 - settings.saturation(), 1 + settings.saturation());
    double h = uniform(rng, -settings.hue(), settings.hue());
    return new Params(order, b, c, s, h);
  }

  private static double uniform(RandomGenerator rng, double lo, double hi) {
    return hi > lo ? lo + (hi - lo) * rng.nextDouble() : lo;
  }

  /**
   * Applies the jitter in place to one picture stored as three planes of {@code n} pixels at
   * {@code off}, {@code off + planeStride}, {@code off + 2 * planeStride}.
   *
   * @param meanRgb mean R, G, B of the whole source picture (for the contrast mean)
   */
  public void apply(float[] data, int off, int planeStride, int n, Params p, double[] meanRgb) {
    double[] m = identity();
    double[] mu = meanRgb.clone();
    for (int op : p.order()) {
      switch (op) {
        case 0 -> {
          if (p.brightness() != 1) {
            m = compose(scale(p.brightness()), m);
          }
        }
        case 1 -> {
          if (p.contrast() != 1) {
            double[] cur = transform(m, mu);
            double grey = WR * cur[0] + WG * cur[1] + WB * cur[2];
            m = compose(contrast(p.contrast(), grey), m);
          }
        }
        case 2 -> {
          if (p.saturation() != 1) {
            m = compose(saturation(p.saturation()), m);
          }
        }
        default -> {
          if (p.hue() != 0) {
            applyAffine(data, off, planeStride, n, m);
            hueShift(data, off, planeStride, n, p.hue());
            mu = meanOf(data, off, planeStride, n);
            m = identity();
          }
        }
      }
    }
    applyAffine(data, off, planeStride, n, m);
  }

  // affine maps as 12 doubles: 3x3 row-major matrix then 3 offsets
  private static double[] identity() {
    return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
  }

  private static double[] scale(double f) {
    return new double[] {f, 0, 0, 0, f, 0, 0, 0, f, 0, 0, 0};
  }

  private static double[] contrast(double f, double grey) {
    double o = (1 - f) * grey;
    return new double[] {f, 0, 0, 0, f, 0, 0, 0, f, o, o, o};
  }

  private static double[] saturation(double f) {
    double g = 1 - f;
    return new double[] {
      f + g * WR, g * WG, g * WB,
      g * WR, f + g * WG, g * WB,
      g * WR, g * WG, f + g * WB,
      0, 0, 0
    };
  }

  /** a after b. */
  private static double[] compose(double[] a, double[] b) {
    double[] r = new double[12];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        r[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
      }
      r[9 + i] = a[i * 3] * b[9] + a[i * 3 + 1] * b[10] + a[i * 3 + 2] * b[11] + a[9 + i];
    }
    return r;
  }

  private static double[] transform(double[] m, double[] v) {
    double[] r = new double[3];
    for (int i = 0; i < 3; i++) {
      r[i] = m[i * 3] * v[0] + m[i * 3 + 1] * v[1] + m[i * 3 + 2] * v[2] + m[9 + i];
    }
    return r;
  }

  private static void applyAffine(float[] d, int off, int ps, int n, double[] m) {
    float m00 = (float) m[0], m01 = (float) m[1], m02 = (float) m[2];
    float m10 = (float) m[3], m11 = (float) m[4], m12 = (float) m[5];
    float m20 = (float) m[6], m21 = (float) m[7], m22 = (float) m[8];
    float o0 = (float) m[9], o1 = (float) m[10], o2 = (float) m[11];
    int g = off + ps;
    int b = off + 2 * ps;
    for (int i = 0; i < n; i++) {
      float r0 = d[off + i];
      float g0 = d[g + i];
      float b0 = d[b + i];
      d[off + i] = clip(m00 * r0 + m01 * g0 + m02 * b0 + o0);
      d[g + i] = clip(m10 * r0 + m11 * g0 + m12 * b0 + o1);
      d[b + i] = clip(m20 * r0 + m21 * g0 + m22 * b0 + o2);
    }
  }

  private static float clip(float v) {
    return v < 0 ? 0 : (v > 255 ? 255 : v);
  }

  private static double[] meanOf(float[] d, int off, int ps, int n) {
    double[] s = new double[3];
    for (int c = 0; c < 3; c++) {
      double acc = 0;
      for (int i = 0; i < n; i++) {
        acc += d[off + c * ps + i];
      }
      s[c] = acc / n;
    }
    return s;
  }

  /** Hue rotation by {@code 2 * int(factor * 255)} degrees (OpenCV's 8-bit hue has 180 steps). */
  static void hueShift(float[] d, int off, int ps, int n, double factor) {
    int steps = Math.floorMod((int) (factor * 255), 180);
    float shift = steps * 2f;
    int g = off + ps;
    int b = off + 2 * ps;
    for (int i = 0; i < n; i++) {
      float r0 = d[off + i];
      float g0 = d[g + i];
      float b0 = d[b + i];
      float max = Math.max(r0, Math.max(g0, b0));
      float min = Math.min(r0, Math.min(g0, b0));
      float diff = max - min;
      if (diff <= 0) {
        continue; // grey: hue undefined, unchanged
      }
      float h;
      if (max == r0) {
        h = 60f * (g0 - b0) / diff;
      } else if (max == g0) {
        h = 120f + 60f * (b0 - r0) / diff;
      } else {
        h = 240f + 60f * (r0 - g0) / diff;
      }
      h += shift;
      h = ((h % 360f) + 360f) % 360f;
      float s = diff / max;
      float v = max;
      float hh = h / 60f;
      int sector = Math.min((int) hh, 5);
      float f = hh - sector;
      float p = v * (1 - s);
      float q = v * (1 - s * f);
      float t = v * (1 - s * (1 - f));
      float nr;
      float ng;
      float nb;
      switch (sector) {
        case 0 -> { nr = v; ng = t; nb = p; }
        case 1 -> { nr = q; ng = v; nb = p; }
        case 2 -> { nr = p; ng = v; nb = t; }
        case 3 -> { nr = p; ng = q; nb = v; }
        case 4 -> { nr = t; ng = p; nb = v; }
        default -> { nr = v; ng = p; nb = q; }
      }
      d[off + i] = nr;
      d[g + i] = ng;
      d[b + i] = nb;
    }
  }
}
