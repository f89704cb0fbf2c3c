package org.bevt4j.core.data.transform;

/**
 * A symmetric 1-D interpolation kernel for separable resampling.
 *
 * <p>The three kernels match OpenCV's {@code INTER_LINEAR}, {@code INTER_CUBIC} (A = -0.75) and
 * {@code INTER_LANCZOS4} (a = 4) when used without antialiasing; other Lanczos orders (a = 3 is
 * PIL's) are available too.
 */
public interface Kernel {
  /** Half-width of the support in source pixels (at scale 1). */
  int radius();

  /** Weight at distance {@code d} (source pixels). */
  double weight(double d);

  /** Triangle (bilinear) kernel. */
  static Kernel bilinear() {
    return new Kernel() {
      @Override
      public int radius() {
        return 1;
      }

      @Override
      public double weight(double d) {
        double a = Math.abs(d);
        return a < 1 ? 1 - a : 0;
      }

      @Override
      public String toString() {
        return "bilinear";
      }
    };
  }

  /** Keys cubic convolution with parameter {@code a} (OpenCV uses -0.75, PIL -0.5). */
  static Kernel cubic(double a) {
    return new Kernel() {
      @Override
      public int radius() {
        return 2;
      }

      @Override
      public double weight(double d) {
        double x = Math.abs(d);
        if (x <= 1) {
          return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        if (x < 2) {
          return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        }
        return 0;
      }

      @Override
      public String toString() {
        return "bicubic(a=" + a + ")";
      }
    };
  }

  /** OpenCV's bicubic kernel (A = -0.75), as used by mmcv {@code imresize(..., 'bicubic')}. */
  static Kernel bicubic() {
    return cubic(-0.75);
  }

  /** Lanczos kernel of order {@code a}: sinc(d) * sinc(d / a) for |d| < a. */
  static Kernel lanczos(int a) {
    if (a < 1) {
      throw new IllegalArgumentException("lanczos order must be >= 1, got " + a);
    }
    return new Kernel() {
      @Override
      public int radius() {
        return a;
      }

      @Override
      public double weight(double d) {
        double x = Math.abs(d);
        if (x < 1e-7) {
          return 1;
        }
        if (x >= a) {
          return 0;
        }
        double px = Math.PI * x;
        return a * Math.sin(px) * Math.sin(px / a) / (px * px);
      }

      @Override
      public String toString() {
        return "lanczos" + a;
      }
    };
  }

  /** Parses {@code bilinear}, {@code bicubic} or {@code lanczos<N>} / {@code lanczos}. */
  static Kernel named(String name, int lanczosOrder) {
    return switch (name) {
      case "bilinear" -> bilinear();
      case "bicubic" -> bicubic();
      case "lanczos" -> lanczos(lanczosOrder);
      default -> throw new IllegalArgumentException(
          "unknown interpolation \"" + name + "\"; known: [bilinear, bicubic, lanczos]");
    };
  }
}
