package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * {@code torch.nn.functional.interpolate} for the cases bevt4j needs, with PyTorch's exact index
 * arithmetic: legacy {@code nearest} (on NDArrays, for masks and embeddings), and host-side
 * {@code bicubic} (2-D) and {@code trilinear} (3-D) with {@code align_corners=False} (for resizing
 * relative-position tables when loading weights).
 */
public final class Interpolate {
  /** PyTorch's cubic convolution coefficient. */
  private static final double CUBIC_A = -0.75;

  private Interpolate() {}

  /**
   * The source index of legacy {@code mode='nearest'} for each output position: {@code
   * min(floor(dst * (float) in / out), in - 1)} computed in float32 as PyTorch does (with its
   * shortcuts for equal sizes and exact 2x upsampling).
   */
  public static long[] nearestIndex(int in, int out) {
    long[] idx = new long[out];
    float scale = (float) in / out;
    for (int i = 0; i < out; i++) {
      if (out == in) {
        idx[i] = i;
      } else if (out == 2 * in) {
        idx[i] = i >> 1;
      } else {
        idx[i] = Math.min((long) Math.floor(i * scale), in - 1);
      }
    }
    return idx;
  }

  /**
   * Legacy nearest resizing of the trailing axes of {@code x}: axis {@code x.dim - sizes.length + i}
   * is resized to {@code sizes[i]}. Works on any dtype and keeps gradients (it is a gather).
   */
  public static NDArray nearest(NDArray x, long... sizes) {
    int rank = x.getShape().dimension();
    int first = rank - sizes.length;
    if (first < 0) {
      throw new IllegalArgumentException("cannot resize " + sizes.length + " axes of a " + rank + "-D array");
    }
    NDArray out = x;
    for (int i = 0; i < sizes.length; i++) {
      int axis = first + i;
      int in = Math.toIntExact(out.getShape().get(axis));
      int to = Math.toIntExact(sizes[i]);
      if (in == to) {
        continue;
      }
      if (to % in == 0) {
        // floor(dst * in / out) == dst / k for an integer factor k: a repeat
        out = out.repeat(axis, to / in);
        continue;
      }
      // engine-owned copy of the index: autograd may keep it for the backward pass, and arrays
      // created from Java buffers only live as long as their Java object
      NDArray idx;
      try (NDArray host = out.getManager().create(nearestIndex(in, to))) {
        idx = host.duplicate();
      }
      StringBuilder sb = new StringBuilder();
      for (int a = 0; a < axis; a++) {
        sb.append(":,");
      }
      sb.append("{}");
      out = out.get(new NDIndex(sb.toString(), idx));
    }
    return out;
  }

  /**
   * Bicubic resize (align_corners=False, A = -0.75, border-clamped taps) of {@code channels} planes
   * {@code (channels, hin, win)} to {@code (channels, hout, wout)}, row-major.
   */
  public static float[] bicubic(float[] src, int channels, int hin, int win, int hout, int wout) {
    if (src.length != channels * hin * win) {
      throw new IllegalArgumentException("expected " + channels * hin * win + " values, got " + src.length);
    }
    float[] out = new float[channels * hout * wout];
    double sh = (double) hin / hout;
    double sw = (double) win / wout;
    for (int c = 0; c < channels; c++) {
      int base = c * hin * win;
      for (int y = 0; y < hout; y++) {
        double fy = hin == hout ? y : (y + 0.5) * sh - 0.5;
        int iy = (int) Math.floor(fy);
        double[] wy = cubicWeights(fy - iy);
        for (int x = 0; x < wout; x++) {
          double fx = win == wout ? x : (x + 0.5) * sw - 0.5;
          int ix = (int) Math.floor(fx);
          double[] wx = cubicWeights(fx - ix);
          double acc = 0;
          for (int m = 0; m < 4; m++) {
            int yy = clamp(iy - 1 + m, hin);
            double row = 0;
            for (int n = 0; n < 4; n++) {
              int xx = clamp(ix - 1 + n, win);
              row += wx[n] * src[base + yy * win + xx];
            }
            acc += wy[m] * row;
          }
          out[(c * hout + y) * wout + x] = (float) acc;
        }
      }
    }
    return out;
  }

  /**
   * Trilinear resize (align_corners=False) of {@code channels} volumes {@code (channels, din, hin,
   * win)} to {@code (channels, dout, hout, wout)}, row-major.
   */
  public static float[] trilinear(
      float[] src, int channels, int din, int hin, int win, int dout, int hout, int wout) {
    if (src.length != channels * din * hin * win) {
      throw new IllegalArgumentException("expected " + channels * din * hin * win + " values, got " + src.length);
    }
    float[] out = new float[channels * dout * hout * wout];
    int[][] d = linearTaps(din, dout);
    int[][] h = linearTaps(hin, hout);
    int[][] w = linearTaps(win, wout);
    double[] ld = linearLambdas(din, dout);
    double[] lh = linearLambdas(hin, hout);
    double[] lw = linearLambdas(win, wout);
    for (int c = 0; c < channels; c++) {
      int base = c * din * hin * win;
      for (int z = 0; z < dout; z++) {
        for (int y = 0; y < hout; y++) {
          for (int x = 0; x < wout; x++) {
            double acc = 0;
            for (int a = 0; a < 2; a++) {
              double fa = a == 0 ? 1 - ld[z] : ld[z];
              for (int b = 0; b < 2; b++) {
                double fb = b == 0 ? 1 - lh[y] : lh[y];
                for (int e = 0; e < 2; e++) {
                  double fe = e == 0 ? 1 - lw[x] : lw[x];
                  acc += fa * fb * fe * src[base + (d[z][a] * hin + h[y][b]) * win + w[x][e]];
                }
              }
            }
            out[((c * dout + z) * hout + y) * wout + x] = (float) acc;
          }
        }
      }
    }
    return out;
  }

  private static int[][] linearTaps(int in, int out) {
    int[][] taps = new int[out][2];
    double scale = (double) in / out;
    for (int i = 0; i < out; i++) {
      double src = in == out ? i : Math.max((i + 0.5) * scale - 0.5, 0.0);
      int i0 = Math.min((int) Math.floor(src), in - 1);
      taps[i][0] = i0;
      taps[i][1] = Math.min(i0 + 1, in - 1);
    }
    return taps;
  }

  private static double[] linearLambdas(int in, int out) {
    double[] l = new double[out];
    double scale = (double) in / out;
    for (int i = 0; i < out; i++) {
      double src = in == out ? i : Math.max((i + 0.5) * scale - 0.5, 0.0);
      int i0 = Math.min((int) Math.floor(src), in - 1);
      l[i] = i0 + 1 < in ? src - i0 : 0.0;
    }
    return l;
  }

  private static double[] cubicWeights(double t) {
    return new double[] {
      cubicFar(t + 1), cubicNear(t), cubicNear(1 - t), cubicFar(2 - t)
    };
  }

  private static double cubicNear(double x) {
    return ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1;
  }

  private static double cubicFar(double x) {
    return ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A;
  }

  private static int clamp(int i, int n) {
    return Math.max(0, Math.min(n - 1, i));
  }
}
