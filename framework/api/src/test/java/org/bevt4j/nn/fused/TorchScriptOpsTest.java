package org.bevt4j.nn.fused;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bevt4j.nn.fused.Close.assertClose;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.bevt4j.nn.Ops;
import org.junit.jupiter.api.Test;

class TorchScriptOpsTest {

  /** Runs {@code f} on fresh leaf copies of {@code inputs}; returns [output, grads...]. */
  static NDArray[] withGrads(Function<NDArray[], NDArray> f, NDArray... inputs) {
    NDArray[] leaves = new NDArray[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      leaves[i] = inputs[i].duplicate();
      leaves[i].setRequiresGradient(true);
    }
    NDArray[] out = new NDArray[inputs.length + 1];
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray y = f.apply(leaves);
      out[0] = y.duplicate();
      // a non-uniform upstream gradient so that every path is exercised
      NDArray w = y.getManager().arange((float) y.size()).reshape(y.getShape()).sin();
      gc.backward(y.mul(w).sum());
    }
    for (int i = 0; i < inputs.length; i++) {
      out[i + 1] = leaves[i].getGradient().duplicate();
    }
    return out;
  }

  @Test
  void sdpaMatchesCompositeWithAndWithoutBiasAndScale() {
    try (NDManager m = NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(7);
      NDArray q = m.randomNormal(new Shape(2, 3, 6, 4));
      NDArray k = m.randomNormal(new Shape(2, 3, 5, 4));
      NDArray v = m.randomNormal(new Shape(2, 3, 5, 4));
      NDArray bias = m.randomNormal(new Shape(3, 6, 5));
      TorchScriptOps ops = TorchScriptOps.get(m.getDevice());
      double d = 0.5; // default scale for head dim 4
      check("sdpa", withGrads(a -> ops.sdpa(a[0], a[1], a[2]), q, k, v),
          withGrads(a -> Attention.composite(a[0], a[1], a[2], null, d), q, k, v));
      check("sdpa_scale", withGrads(a -> ops.sdpa(a[0], a[1], a[2], 0.9), q, k, v),
          withGrads(a -> Attention.composite(a[0], a[1], a[2], null, 0.9), q, k, v));
      check("sdpa_bias", withGrads(a -> ops.sdpaBias(a[0], a[1], a[2], a[3]), q, k, v, bias),
          withGrads(a -> Attention.composite(a[0], a[1], a[2], a[3], d), q, k, v, bias));
      check("sdpa_bias_scale",
          withGrads(a -> ops.sdpaBias(a[0], a[1], a[2], a[3], 0.3), q, k, v, bias),
          withGrads(a -> Attention.composite(a[0], a[1], a[2], a[3], 0.3), q, k, v, bias));
    }
  }

  @Test
  void rollAndConvTransposeMatchTheOwnImplementations() {
    try (NDManager m = NDManager.newBaseManager()) {
      TorchScriptOps ops = TorchScriptOps.of(m.zeros(new Shape(1)));
      NDArray x = m.randomNormal(new Shape(2, 3, 4, 5));
      long[] shifts = {-1, 2, 7};
      int[] dims = {1, 2, -1};
      check("roll", withGrads(a -> ops.roll(a[0], shifts, dims), x),
          withGrads(a -> Ops.roll(a[0], shifts, new int[] {1, 2, 3}), x));
      assertThatThrownBy(() -> ops.roll(x, new long[] {1}, new int[] {1, 2}))
          .hasMessageContaining("as many shifts as dims");

      // kernel == stride: against the matmul + pixel-shuffle implementation, with and without bias
      NDArray xt = m.randomNormal(new Shape(2, 4, 2, 3, 3));
      NDArray wt = m.randomNormal(new Shape(4, 5, 1, 2, 2));
      NDArray bt = m.randomNormal(new Shape(5));
      int[] s = {1, 2, 2};
      int[] zero = {0, 0, 0};
      int[] one = {1, 1, 1};
      check("conv_transpose3d",
          withGrads(a -> ops.convTranspose3d(a[0], a[1], a[2], s, zero, zero, one), xt, wt, bt),
          withGrads(a -> Ops.convTransposeKEqS(a[0], a[1], a[2]), xt, wt, bt));
      check("conv_transpose3d_nobias",
          withGrads(a -> ops.convTranspose3d(a[0], a[1], null, s, zero, zero, one), xt, wt),
          withGrads(a -> Ops.convTransposeKEqS(a[0], a[1], null), xt, wt));
      NDArray x2 = m.randomNormal(new Shape(1, 4, 3, 2));
      NDArray w2 = m.randomNormal(new Shape(4, 3, 2, 2));
      check("conv_transpose2d",
          withGrads(a -> ops.convTranspose2d(a[0], a[1], null, new int[] {2, 2}, new int[] {0, 0},
              new int[] {0, 0}, new int[] {1, 1}), x2, w2),
          withGrads(a -> Ops.convTransposeKEqS(a[0], a[1], null), x2, w2));
      // overlapping kernel with padding / output padding: against a direct scatter definition
      NDArray x3 = m.randomNormal(new Shape(1, 2, 2, 3, 3));
      NDArray w3 = m.randomNormal(new Shape(2, 3, 3, 3, 3));
      NDArray b3 = m.randomNormal(new Shape(3));
      int[] st = {1, 2, 2};
      int[] pd = {1, 1, 1};
      int[] opd = {0, 1, 1};
      NDArray got = ops.convTranspose3d(x3, w3, b3, st, pd, opd, one);
      assertClose("conv_transpose3d k3 s(1,2,2) p1 op(0,1,1)", got,
          m.create(scatterConvT3d(x3, w3, b3, st, pd, opd), got.getShape()));
      assertThatThrownBy(() -> ops.convTranspose3d(x3, w3, b3, new int[] {1, 2}, pd, opd, one))
          .hasMessageContaining("needs 3 values");
    }
  }

  @Test
  void halfCastKeepsAutogradAndGradientLandsOnFloat32Leaf() {
    try (NDManager m = NDManager.newBaseManager()) {
      TorchScriptOps ops = TorchScriptOps.get(m.getDevice());
      NDArray w = m.randomNormal(new Shape(4, 3));
      NDArray x = m.randomNormal(new Shape(5, 4));
      NDArray[] mixed = withGrads(a -> {
        NDArray h = ops.toHalf(a[0]);
        assertThat(h.getDataType()).isEqualTo(DataType.FLOAT16);
        return ops.toFloat(ops.toHalf(x).matMul(h));
      }, w);
      NDArray[] full = withGrads(a -> x.matMul(a[0]), w);
      assertThat(mixed[0].getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(mixed[1].getDataType()).isEqualTo(DataType.FLOAT32);
      // fp16 rounding: compare loosely against the fp32 result
      float[] a = mixed[1].toFloatArray();
      float[] b = full[1].toFloatArray();
      for (int i = 0; i < a.length; i++) {
        assertThat((double) a[i]).isCloseTo(b[i], org.assertj.core.data.Offset.offset(5e-2));
      }
      assertThat(mixed[1].abs().sum().getFloat()).isGreaterThan(0f);
    }
  }

  @Test
  void namedArgumentsStayPlainTensorsAndScopesDoNotFreeCachedConstants() {
    try (NDManager m = NDManager.newBaseManager()) {
      TorchScriptOps ops = TorchScriptOps.get(m.getDevice());
      NDArray x = m.arange(6f).reshape(2, 3);
      x.setName("blocks.0.attn"); // would be packed as a dict entry by DJL's IValue conversion
      for (int i = 0; i < 3; i++) {
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          assertThat(ops.roll(x, new long[] {1}, new int[] {1}).toFloatArray())
              .containsExactly(2, 0, 1, 5, 3, 4);
        }
      }
      assertThat(x.getName()).isEqualTo("blocks.0.attn");
    }
  }

  @Test
  void oneInstancePerDeviceAcrossThreadsAndReloadAfterClose() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Callable<TorchScriptOps> get = () -> TorchScriptOps.get(ai.djl.Device.cpu());
      List<Future<TorchScriptOps>> all = pool.invokeAll(List.of(get, get, get, get));
      TorchScriptOps first = all.get(0).get();
      for (Future<TorchScriptOps> f : all) {
        assertThat(f.get()).isSameAs(first);
      }
      first.close();
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray one = m.ones(new Shape(1));
        assertThatThrownBy(() -> first.call("to_f32", one)).hasMessageContaining("closed");
      }
      TorchScriptOps again = TorchScriptOps.get(ai.djl.Device.cpu());
      assertThat(again).isNotSameAs(first);
      try (NDManager m = NDManager.newBaseManager()) {
        assertThat(again.toFloat(m.ones(new Shape(2))).toFloatArray()).containsExactly(1, 1);
      }
    } finally {
      pool.shutdown();
    }
  }

  static void check(String what, NDArray[] actual, NDArray[] reference) {
    assertClose(what + " output", actual[0], reference[0]);
    for (int i = 1; i < actual.length; i++) {
      assertClose(what + " grad of input " + (i - 1), actual[i], reference[i]);
    }
  }

  /** out[b,co,o] = bias[co] + sum x[b,ci,i]·w[ci,co,k] over o = i·s - p + k (dilation 1). */
  static float[] scatterConvT3d(NDArray x, NDArray w, NDArray b, int[] s, int[] p, int[] op) {
    long[] xs = x.getShape().getShape();
    long[] ws = w.getShape().getShape();
    int nb = (int) xs[0];
    int cin = (int) xs[1];
    int cout = (int) ws[1];
    int[] in = {(int) xs[2], (int) xs[3], (int) xs[4]};
    int[] k = {(int) ws[2], (int) ws[3], (int) ws[4]};
    int[] o = new int[3];
    for (int i = 0; i < 3; i++) {
      o[i] = (in[i] - 1) * s[i] - 2 * p[i] + k[i] + op[i];
    }
    float[] xv = x.toFloatArray();
    float[] wv = w.toFloatArray();
    float[] bv = b.toFloatArray();
    float[] out = new float[nb * cout * o[0] * o[1] * o[2]];
    for (int bb = 0; bb < nb; bb++) {
      for (int co = 0; co < cout; co++) {
        for (int j = 0; j < o[0] * o[1] * o[2]; j++) {
          out[((bb * cout + co) * o[0] * o[1] * o[2]) + j] = bv[co];
        }
      }
      for (int ci = 0; ci < cin; ci++) {
        for (int i0 = 0; i0 < in[0]; i0++) {
          for (int i1 = 0; i1 < in[1]; i1++) {
            for (int i2 = 0; i2 < in[2]; i2++) {
              float xval = xv[(((bb * cin + ci) * in[0] + i0) * in[1] + i1) * in[2] + i2];
              for (int co = 0; co < cout; co++) {
                for (int k0 = 0; k0 < k[0]; k0++) {
                  int o0 = i0 * s[0] - p[0] + k0;
                  if (o0 < 0 || o0 >= o[0]) {
                    continue;
                  }
                  for (int k1 = 0; k1 < k[1]; k1++) {
                    int o1 = i1 * s[1] - p[1] + k1;
                    if (o1 < 0 || o1 >= o[1]) {
                      continue;
                    }
                    for (int k2 = 0; k2 < k[2]; k2++) {
                      int o2 = i2 * s[2] - p[2] + k2;
                      if (o2 < 0 || o2 >= o[2]) {
                        continue;
                      }
                      float wval = wv[(((ci * cout + co) * k[0] + k0) * k[1] + k1) * k[2] + k2];
                      out[(((bb * cout + co) * o[0] + o0) * o[1] + o1) * o[2] + o2] += xval * wval;
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return out;
  }
}
