package org.bevt4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ConvTranspose with kernel == stride against a direct host evaluation of the definition
 * {@code y[b,o,i*k+a] = b[o] + sum_c x[b,c,i] w[c,o,a]}, for outputs and for the gradients of
 * {@code L = sum(y * R)} with respect to x, w and b (each computed from the definition too).
 */
class ConvTransposeKEqSTest {
  @Test
  void conv3dOutputAndGradients() {
    check(new long[] {2, 3, 2, 3, 2}, 4, new long[] {2, 1, 2});
  }

  @Test
  void conv2dOutputAndGradients() {
    check(new long[] {2, 3, 3, 2}, 5, new long[] {2, 2});
  }

  private static void check(long[] xs, int cout, long[] k) {
    Random rnd = new Random(3);
    try (NDManager m = NDManager.newBaseManager()) {
      int nd = k.length;
      int cin = (int) xs[1];
      ConvTransposeKEqS conv = new ConvTransposeKEqS(cin, cout, k);
      conv.initialize(m);
      long[] ys = new long[2 + nd];
      ys[0] = xs[0];
      ys[1] = cout;
      for (int i = 0; i < nd; i++) {
        ys[2 + i] = xs[2 + i] * k[i];
      }
      float[] xv = random(rnd, size(xs));
      float[] rv = random(rnd, size(ys));
      NDArray x = m.create(xv, new Shape(xs));
      NDArray r = m.create(rv, new Shape(ys));
      x.setRequiresGradient(true);
      NDArray y;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        y = conv.forward(x);
        gc.backward(y.mul(r).sum());
      }
      float[] w = conv.weight().array().toFloatArray();
      float[] b = conv.bias().array().toFloatArray();
      // definition, iterating over every output element
      long[] wShape = conv.weight().shape().getShape();
      int spatialIn = (int) (size(xs) / (xs[0] * cin));
      int kvol = (int) (size(wShape) / (cin * cout));
      double[] yRef = new double[(int) size(ys)];
      double[] gx = new double[xv.length];
      double[] gw = new double[w.length];
      double[] gb = new double[cout];
      int[] inSp = new int[nd];
      int[] kk = new int[nd];
      for (int bi = 0; bi < xs[0]; bi++) {
        for (int s = 0; s < spatialIn; s++) {
          unravel(s, xs, 2, inSp);
          for (int a = 0; a < kvol; a++) {
            unravel(a, wShape, 2, kk);
            long outSp = 0;
            for (int d = 0; d < nd; d++) {
              outSp = outSp * ys[2 + d] + (inSp[d] * k[d] + kk[d]);
            }
            for (int o = 0; o < cout; o++) {
              int yi = (int) ((bi * cout + o) * (size(ys) / (ys[0] * cout)) + outSp);
              double acc = b[o];
              for (int c = 0; c < cin; c++) {
                int xi = (bi * cin + c) * spatialIn + s;
                int wi = (c * cout + o) * kvol + a;
                acc += xv[xi] * w[wi];
                gx[xi] += rv[yi] * w[wi];
                gw[wi] += rv[yi] * xv[xi];
              }
              yRef[yi] = acc;
              gb[o] += rv[yi];
            }
          }
        }
      }
      assertClose(y.toFloatArray(), yRef);
      assertClose(x.getGradient().toFloatArray(), gx);
      assertClose(conv.weight().array().getGradient().toFloatArray(), gw);
      assertClose(conv.bias().array().getGradient().toFloatArray(), gb);
    }
  }

  private static void unravel(int flat, long[] shape, int from, int[] out) {
    for (int d = out.length - 1; d >= 0; d--) {
      int n = (int) shape[from + d];
      out[d] = flat % n;
      flat /= n;
    }
  }

  private static long size(long[] s) {
    long n = 1;
    for (long v : s) {
      n *= v;
    }
    return n;
  }

  private static float[] random(Random r, long n) {
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  private static void assertClose(float[] a, double[] e) {
    assertThat(a).hasSize(e.length);
    for (int i = 0; i < e.length; i++) {
      assertThat((double) a[i]).as("index " + i).isCloseTo(e[i], within(1e-4 + 1e-4 * Math.abs(e[i])));
    }
  }
}
