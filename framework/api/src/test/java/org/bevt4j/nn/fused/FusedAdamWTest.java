package org.bevt4j.nn.fused;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TorchScriptOps#fusedAdamW} against torch.optim.AdamW's update computed by hand. */
class FusedAdamWTest {

  @Test
  void updatesInPlaceAsTorchAdamWOverSeveralSteps() {
    Random rnd = new Random(3);
    int[] sizes = {37, 5}; // one longer than a SIMD vector with a tail, one shorter
    double b1 = 0.9;
    double b2 = 0.99;
    double eps = 1e-8;
    double wd = 0.05;
    double[] lrs = {1e-2, 3e-2, 5e-3, 2e-2};
    try (NDManager m = NDManager.newBaseManager()) {
      TorchScriptOps ops = TorchScriptOps.get(m.getDevice());
      NDArray[] w = new NDArray[sizes.length];
      NDArray[] ma = new NDArray[sizes.length];
      NDArray[] va = new NDArray[sizes.length];
      NDArray[] st = new NDArray[sizes.length];
      double[][] rw = new double[sizes.length][];
      double[][] rm = new double[sizes.length][];
      double[][] rv = new double[sizes.length][];
      for (int i = 0; i < sizes.length; i++) {
        float[] w0 = gaussian(rnd, sizes[i]);
        w[i] = m.create(w0, new Shape(sizes[i]));
        ma[i] = m.zeros(new Shape(sizes[i]));
        va[i] = m.zeros(new Shape(sizes[i]));
        st[i] = m.zeros(new Shape(), DataType.FLOAT32);
        rw[i] = toDouble(w0);
        rm[i] = new double[sizes[i]];
        rv[i] = new double[sizes[i]];
      }
      for (int t = 1; t <= lrs.length; t++) {
        NDArray[] g = new NDArray[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
          float[] gv = gaussian(rnd, sizes[i]);
          g[i] = m.create(gv, new Shape(sizes[i]));
          double lr = lrs[t - 1];
          for (int j = 0; j < sizes[i]; j++) {
            rw[i][j] *= 1 - lr * wd;
            rm[i][j] = b1 * rm[i][j] + (1 - b1) * gv[j];
            rv[i][j] = b2 * rv[i][j] + (1 - b2) * gv[j] * gv[j];
            double denom = Math.sqrt(rv[i][j]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
            rw[i][j] -= lr / (1 - Math.pow(b1, t)) * rm[i][j] / denom;
          }
        }
        int n = ops.fusedAdamW(List.of(w), List.of(g), List.of(ma), List.of(va), List.of(st),
            lrs[t - 1], b1, b2, wd, eps);
        assertThat(n).isEqualTo(sizes.length);
      }
      for (int i = 0; i < sizes.length; i++) {
        assertThat(st[i].getFloat()).isEqualTo((float) lrs.length);
        float[] got = w[i].toFloatArray();
        for (int j = 0; j < got.length; j++) {
          assertThat((double) got[j]).as("w[%d][%d]", i, j)
              .isCloseTo(rw[i][j], within(2e-6 * Math.max(1, Math.abs(rw[i][j]))));
        }
        float[] gotM = ma[i].toFloatArray();
        for (int j = 0; j < gotM.length; j++) {
          assertThat((double) gotM[j]).isCloseTo(rm[i][j], within(1e-6));
        }
      }
    }
  }

  @Test
  void listsOfUnequalLengthAreRefused() {
    try (NDManager m = NDManager.newBaseManager()) {
      TorchScriptOps ops = TorchScriptOps.get(m.getDevice());
      NDArray a = m.zeros(new Shape(2));
      assertThatThrownBy(() -> ops.fusedAdamW(List.of(a), List.of(), List.of(a), List.of(a), List.of(a),
          0.1, 0.9, 0.99, 0, 1e-8))
          .hasMessageContaining("equal length").hasMessageContaining("grads 0");
      assertThat(ops.fusedAdamW(List.of(), List.of(), List.of(), List.of(), List.of(), 0.1, 0.9, 0.99, 0, 1e-8))
          .isZero();
    }
  }

  private static float[] gaussian(Random rnd, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) rnd.nextGaussian();
    }
    return out;
  }

  private static double[] toDouble(float[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }
}
