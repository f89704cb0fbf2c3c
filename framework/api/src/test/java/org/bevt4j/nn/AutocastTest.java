package org.bevt4j.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.bevt4j.nn.fused.Attention.Mode;
import org.junit.jupiter.api.Test;

/**
 * float16 autocast of the nn layers against their float32 results.
 *
 * <p>Tolerances. float16 keeps 11 significant bits: rounding a value costs at most a relative
 * {@code u = 2^-11 ≈ 4.9e-4}. A bilinear op (linear, conv, matmul) on float16-rounded operands,
 * accumulated in float32 (libtorch does so for half on CPU and GPU), differs from the float32 op by
 * at most {@code (2u + u²)·f(|x|, |w|)} per element plus the rounding of the result itself; the
 * tests bound each element by {@code 3u·f(|x|,|w|) + u·|b|} (with {@code f(|x|,|w|)} computed in
 * float32), a bound that holds for any sizes and seeds. Gradients of a bilinear op are bilinear ops
 * of the upstream gradient (itself rounded to float16 in the backward) and of one operand, so the
 * same bound applies with {@code |g|}. For composed blocks (attention, MLP) the errors of 3–4 such
 * products pass through softmax/GELU (Lipschitz ≤ 1 on the scale used) and the gradients of the
 * biases sum many rounded terms: the tests allow 1% of the largest float32 magnitude (≈ 20u; the
 * measured worst case is 3.7e-3, a qkv bias gradient) for outputs and gradients — far below what
 * a wrong result (missing bias, transposed operand, lost gradient: O(1) relative error) gives.
 * Every test also
 * checks that the float16 result differs from the float32 one, i.e. that float16 really ran.
 */
class AutocastTest {
  private static final double U = Math.pow(2, -11);

  /** Output (as float32 values), its dtype, and every parameter's gradient with its dtype. */
  record Run(NDArray out, Map<String, NDArray> grads) {}

  private static Run run(Module module, Function<NDArray, NDArray> f, NDArray input, boolean fp16) {
    Map<String, NDArray> grads = new LinkedHashMap<>();
    NDArray out;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector();
        Autocast.Region r = Autocast.enable(fp16)) {
      NDArray y = f.apply(input);
      out = y.duplicate();
      NDArray w = y.getManager().arange((float) y.size()).reshape(y.getShape()).sin();
      gc.backward(y.mul(w).sum());
    }
    for (Map.Entry<String, Param> e : module.namedParameters().entrySet()) {
      if (e.getValue().isTrainable() && !e.getValue().isBuffer()) {
        NDArray g = e.getValue().array().getGradient();
        grads.put(e.getKey(), g.duplicate());
        g.subi(g); // gradients accumulate across collectors
      }
    }
    return new Run(out, grads);
  }

  private static double maxAbs(NDArray a) {
    return a.abs().max().getFloat();
  }

  /** Both runs: dtypes float32 everywhere, fp16 differs from fp32, and relative agreement. */
  private static void checkBlock(String what, Module module, Function<NDArray, NDArray> f, NDArray x, double rel) {
    Run full = run(module, f, x, false);
    Run half = run(module, f, x, true);
    assertThat(half.out().getDataType()).as(what + " output dtype").isEqualTo(DataType.FLOAT32);
    double scale = maxAbs(full.out());
    double diff = maxAbs(half.out().sub(full.out()));
    assertThat(diff).as(what + " output: fp16 vs fp32 max |diff| (max |fp32| " + scale + ")").isLessThanOrEqualTo(rel * scale).isGreaterThan(0);
    for (Map.Entry<String, NDArray> e : full.grads().entrySet()) {
      NDArray gh = half.grads().get(e.getKey());
      assertThat(gh.getDataType()).as(what + " grad dtype of " + e.getKey()).isEqualTo(DataType.FLOAT32);
      double gs = maxAbs(e.getValue());
      assertThat(gs).as(what + " fp32 grad of " + e.getKey() + " is non-zero").isGreaterThan(0);
      assertThat(maxAbs(gh.sub(e.getValue()))).as(what + " grad " + e.getKey() + " (max |fp32| " + gs + ")").isLessThanOrEqualTo(rel * gs);
    }
  }

  @Test
  void linearIsWithinTheElementwiseFloat16BoundAndGradientsLandOnFloat32Leaves() {
    try (NDManager m = NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(3);
      Linear lin = new Linear(24, 16, true);
      lin.initialize(m);
      NDArray x = m.randomNormal(new Shape(3, 5, 24));
      Function<NDArray, NDArray> f = lin::forward;
      Run full = run(lin, f, x, false);
      Run half = run(lin, f, x, true);
      NDArray w = lin.weight().array();
      NDArray b = lin.bias().array();
      NDArray bound = x.abs().matMul(w.abs().transpose()).mul(3 * U).add(b.abs().mul(U)).add(1e-7);
      assertThat(half.out().getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(half.out().sub(full.out()).abs().lte(bound).all().getBoolean()).isTrue();
      assertThat(maxAbs(half.out().sub(full.out()))).as("fp16 really ran").isGreaterThan(0);
      // upstream gradient g = sin(arange): dW = g^T x, db = sum g
      NDArray g = m.arange((float) full.out().size()).reshape(full.out().getShape()).sin().reshape(15, 16);
      NDArray dwBound = g.abs().transpose().matMul(x.reshape(15, 24).abs()).mul(3 * U).add(1e-7);
      NDArray dw16 = half.grads().get("weight");
      NDArray dw32 = full.grads().get("weight");
      assertThat(dw16.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(half.grads().get("bias").getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(dw16.sub(dw32).abs().lte(dwBound).all().getBoolean()).isTrue();
      assertThat(maxAbs(dw32)).isGreaterThan(0);
      NDArray dbBound = g.abs().sum(new int[] {0}).mul(U).add(1e-6);
      assertThat(half.grads().get("bias").sub(full.grads().get("bias")).abs().lte(dbBound).all().getBoolean()).isTrue();
    }
  }

  @Test
  void convPatchEmbeddingsAreWithinTheElementwiseFloat16Bound() {
    try (NDManager m = NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(5);
      Conv c3 = Conv.builder(3, 8, 2, 4, 4).optStride(2, 4, 4).build();
      c3.initialize(m);
      NDArray video = m.randomNormal(new Shape(2, 3, 4, 8, 8));
      checkConv(c3, video, new Shape(2, 4, 4));
      Conv c2 = Conv.builder(3, 8, 3, 3).optStride(2, 2).optPadding(1, 1).build();
      c2.initialize(m);
      checkConv(c2, m.randomNormal(new Shape(2, 3, 8, 8)), new Shape(2, 2));
    }
  }

  private static void checkConv(Conv conv, NDArray x, Shape stride) {
    Run full = run(conv, conv::forward, x, false);
    Run half = run(conv, conv::forward, x, true);
    int nd = stride.dimension();
    Shape padding = new Shape(new long[nd]);
    if (conv.weight().shape().get(2) == 3) {
      long[] p = new long[nd];
      java.util.Arrays.fill(p, 1);
      padding = new Shape(p);
    }
    long[] one = new long[nd];
    java.util.Arrays.fill(one, 1);
    NDArray absConv = Autocast.conv(x.abs(), conv.weight().array().abs(), null, stride, padding, new Shape(one), 1);
    NDArray bound = absConv.mul(3 * U).add(conv.bias().array().abs().reshape(padTo(conv.bias().shape().get(0), nd)).mul(U)).add(1e-7);
    assertThat(half.out().getDataType()).isEqualTo(DataType.FLOAT32);
    assertThat(half.out().sub(full.out()).abs().lte(bound).all().getBoolean()).as("conv%dd within bound", nd).isTrue();
    assertThat(maxAbs(half.out().sub(full.out()))).isGreaterThan(0);
    for (String k : full.grads().keySet()) {
      assertThat(half.grads().get(k).getDataType()).isEqualTo(DataType.FLOAT32);
      double gs = maxAbs(full.grads().get(k));
      assertThat(maxAbs(half.grads().get(k).sub(full.grads().get(k)))).as("conv grad " + k).isLessThanOrEqualTo(1e-2 * gs);
    }
  }

  private static Shape padTo(long c, int nd) {
    long[] s = new long[nd + 1];
    java.util.Arrays.fill(s, 1);
    s[0] = c;
    return new Shape(s);
  }

  @Test
  void attentionBlocksInBothModesAgreeWithFloat32() {
    try (NDManager m = NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(11);
      NDArray tokens = m.randomNormal(new Shape(2, 10, 16));
      for (Mode mode : Mode.values()) {
        Attention a = new Attention(16, 4, true, null, 0, 0, null, mode);
        a.initialize(m);
        checkBlock("attention " + mode, a, x -> a.forward(x, true), tokens, 1e-2);
      }
      // Swin window attention with the relative-position bias and a shifted-window mask
      int[] window = {2, 2, 2};
      NDArray windows = m.randomNormal(new Shape(4, 8, 16));
      float[] mask = new float[2 * 8 * 8];
      for (int i = 0; i < mask.length; i++) {
        mask[i] = (i % 3 == 0 && i >= 64) ? -100f : 0f;
      }
      NDArray maskArr = m.create(mask, new Shape(2, 8, 8));
      for (Mode mode : Mode.values()) {
        WindowAttention3D wa = new WindowAttention3D(16, window, 4, true, null, 0, 0, Init.truncNormal(0.2), null, mode);
        wa.initialize(m);
        checkBlock("window attention " + mode, wa, x -> wa.forward(x, maskArr, true), windows, 1e-2);
        checkBlock("window attention (no mask) " + mode, wa, x -> wa.forward(x, null, true), windows, 1e-2);
      }
    }
  }

  @Test
  void mlpAndTransposedConvAgreeWithFloat32() {
    try (NDManager m = NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(13);
      Mlp mlp = new Mlp(16, 32, 0);
      mlp.initialize(m);
      checkBlock("mlp", mlp, x -> mlp.forward(x, true), m.randomNormal(new Shape(3, 16)), 1e-2);
      ConvTransposeKEqS up = new ConvTransposeKEqS(8, 4, 1, 2, 2);
      up.initialize(m);
      checkBlock("conv-transpose k=s", up, up::forward,
          m.randomNormal(new Shape(2, 8, 2, 3, 3)), 1e-2);
    }
  }

  @Test
  void regionsNestAndOutsideOneTheOpsAreThePlainFloat32Ops() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThat(Autocast.isFp16()).isFalse();
      try (Autocast.Region outer = Autocast.fp16()) {
        assertThat(Autocast.isFp16()).isTrue();
        try (Autocast.Region inner = Autocast.enable(false)) {
          assertThat(Autocast.isFp16()).isFalse();
        }
        assertThat(Autocast.isFp16()).isTrue();
      }
      assertThat(Autocast.isFp16()).isFalse();
      Linear lin = new Linear(6, 5, true);
      lin.initialize(m);
      NDArray x = m.randomNormal(new Shape(4, 6));
      NDArray plain = ai.djl.nn.core.Linear.linear(x, lin.weight().array(), lin.bias().array()).singletonOrThrow();
      assertThat(lin.forward(x).toFloatArray()).containsExactly(plain.toFloatArray());
    }
  }
}
