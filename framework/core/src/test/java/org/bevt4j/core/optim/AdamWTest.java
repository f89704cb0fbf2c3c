package org.bevt4j.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Param;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AdamWTest {
  /** A module with named parameters of given shapes and values. */
  static final class Params extends Module {
    Param add(String name, float[] values, long... shape) {
      float[] v = values.clone();
      return param(name, new Shape(shape), (m, s) -> m.create(v, s));
    }
  }

  /** Sets the gradient of every param to the given values (through a real backward). */
  static void setGrads(Map<Param, float[]> grads) {
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = null;
      for (Map.Entry<Param, float[]> e : grads.entrySet()) {
        NDArray w = e.getKey().array();
        NDArray term = w.mul(w.getManager().create(e.getValue(), w.getShape())).sum();
        loss = loss == null ? term : loss.add(term);
      }
      gc.backward(loss);
    }
  }

  /** torch.optim.AdamW (single-tensor) in double precision, for one tensor. */
  static final class Reference {
    final double[] w;
    final double[] m;
    final double[] v;
    int t;

    Reference(float[] w0) {
      w = new double[w0.length];
      for (int i = 0; i < w0.length; i++) {
        w[i] = w0[i];
      }
      m = new double[w0.length];
      v = new double[w0.length];
    }

    void step(float[] g, double lr, double wd, double b1, double b2, double eps) {
      t++;
      for (int i = 0; i < w.length; i++) {
        w[i] *= 1 - lr * wd; // param.mul_(1 - lr * weight_decay)
        m[i] = b1 * m[i] + (1 - b1) * g[i]; // exp_avg.lerp_(grad, 1 - beta1)
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        double bc1 = 1 - Math.pow(b1, t);
        double bc2 = 1 - Math.pow(b2, t);
        double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + eps;
        w[i] -= lr / bc1 * m[i] / denom;
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = AdamWImplementation.class, names = {"FUSED", "ELEMENTWISE"})
  void matchesTorchAdamWSemanticsComputedByHand(AdamWImplementation impl) {
    try (NDManager nm = NDManager.newBaseManager(Device.cpu())) {
      Params mod = new Params();
      float[] w0 = {0.5f, -1.5f, 2.0f, 0.1f, -0.3f, 0.7f};
      float[] b0 = {0.2f, -0.4f};
      Param w = mod.add("fc.weight", w0, 2, 3);
      Param b = mod.add("fc.bias", b0, 2);
      mod.initialize(nm);
      Map<String, Param> named = new LinkedHashMap<>();
      named.put("fc.weight", w);
      named.put("fc.bias", b);
      List<OptimParam> groups = ParamGroups.build(named, 0.05, List.of("norm"), true, ParamGroups.NO_LR_SCALE);
      assertThat(groups).extracting(OptimParam::weightDecay).containsExactly(0.05, 0.0);
      Reference rw = new Reference(w0);
      Reference rb = new Reference(b0);
      float[][] gw = {{0.1f, -0.2f, 0.3f, 1.5f, -0.05f, 0f}, {-0.3f, 0.2f, 0.1f, 0.4f, 0.5f, -0.6f}, {1e-3f, 2f, -1f, 0.2f, 0.3f, 0.4f}};
      float[][] gb = {{1f, -1f}, {0.5f, 0.25f}, {-2f, 0.1f}};
      double[] lrs = {1e-3, 5e-2, 0.3};
      try (AdamW opt = new AdamW(groups, 0.9, 0.999, 1e-8, impl, nm)) {
        for (int s = 0; s < 3; s++) {
          Map<Param, float[]> g = new LinkedHashMap<>();
          g.put(w, gw[s]);
          g.put(b, gb[s]);
          setGrads(g);
          assertThat(opt.step(lrs[s])).isEqualTo(2);
          opt.zeroGrad();
          rw.step(gw[s], lrs[s], 0.05, 0.9, 0.999, 1e-8);
          rb.step(gb[s], lrs[s], 0.0, 0.9, 0.999, 1e-8);
        }
        assertClose(w.array().toFloatArray(), rw.w);
        assertClose(b.array().toFloatArray(), rb.w);
        assertThat(opt.updates()).isEqualTo(3);
      }
    }
  }

  private static void assertClose(float[] actual, double[] expected) {
    for (int i = 0; i < actual.length; i++) {
      assertThat((double) actual[i]).as("element %d", i).isCloseTo(expected[i], within(2e-6 * Math.max(1, Math.abs(expected[i]))));
    }
  }

  @ParameterizedTest
  @EnumSource(value = AdamWImplementation.class, names = {"FUSED", "ELEMENTWISE"})
  void noDecayGroupsGetNoDecay(AdamWImplementation impl) {
    try (NDManager nm = NDManager.newBaseManager(Device.cpu())) {
      Params mod = new Params();
      float[] ones = {1, 1, 1, 1};
      Map<String, Param> named = new LinkedHashMap<>();
      named.put("blocks.0.attn.qkv.weight", mod.add("a", ones, 2, 2));
      named.put("blocks.0.norm1.weight", mod.add("b", ones, 2, 2));
      named.put("layers.0.attn.relative_position_bias_table", mod.add("c", ones, 2, 2));
      named.put("head.bias", mod.add("d", ones, 2, 2));
      named.put("mask_token_1d", mod.add("e", ones, 4));
      mod.initialize(nm);
      List<OptimParam> groups = ParamGroups.build(named, 0.5, List.of("norm", "relative_position_bias_table"), true, ParamGroups.NO_LR_SCALE);
      assertThat(groups).extracting(OptimParam::weightDecay).containsExactly(0.5, 0.0, 0.0, 0.0, 0.0);
      // the BEVT recipe: biases and 1-D params are decayed
      assertThat(ParamGroups.build(named, 0.5, List.of("norm"), false, ParamGroups.NO_LR_SCALE))
          .extracting(OptimParam::weightDecay).containsExactly(0.5, 0.0, 0.5, 0.5, 0.5);
      try (AdamW opt = new AdamW(groups, 0.9, 0.999, 1e-8, impl, nm)) {
        Map<Param, float[]> zero = new LinkedHashMap<>();
        named.values().forEach(p -> zero.put(p, new float[4]));
        setGrads(zero); // zero gradients: only decay can move a weight
        opt.step(0.1);
        assertThat(named.get("blocks.0.attn.qkv.weight").array().toFloatArray()).containsOnly(0.95f);
        for (String k : List.of("blocks.0.norm1.weight", "layers.0.attn.relative_position_bias_table", "head.bias", "mask_token_1d")) {
          assertThat(named.get(k).array().toFloatArray()).as(k).containsOnly(1f);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = AdamWImplementation.class, names = {"FUSED", "ELEMENTWISE"})
  void lrScaleAndMissingGradients(AdamWImplementation impl) {
    try (NDManager nm = NDManager.newBaseManager(Device.cpu())) {
      Params mod = new Params();
      Param a = mod.add("a", new float[] {0, 0}, 2);
      Param b = mod.add("b", new float[] {0, 0}, 2);
      Param unused = mod.add("c", new float[] {3, 3}, 2);
      mod.initialize(nm);
      List<OptimParam> ps = List.of(new OptimParam("a", a, 0, 1.0), new OptimParam("b", b, 0, 0.5), new OptimParam("c", unused, 0.1, 1.0));
      try (AdamW opt = new AdamW(ps, 0.9, 0.999, 1e-8, impl, nm)) {
        Map<Param, float[]> g = new LinkedHashMap<>();
        g.put(a, new float[] {1, -1});
        g.put(b, new float[] {1, -1});
        setGrads(g);
        assertThat(opt.step(0.1)).isEqualTo(2);
        // first Adam step moves by lr * sign(g) (up to eps)
        assertThat(a.array().toFloatArray()).containsExactly(new float[] {-0.1f, 0.1f}, within(1e-6f));
        assertThat(b.array().toFloatArray()).containsExactly(new float[] {-0.05f, 0.05f}, within(1e-6f));
        // no gradient ever reached c: untouched (no decay either), its step count stays 0
        assertThat(unused.array().toFloatArray()).containsExactly(3f, 3f);
        assertThat(opt.state().get("step.c").toLongs()).containsExactly(0L);
        assertThat(opt.state().get("step.a").toLongs()).containsExactly(1L);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = AdamWImplementation.class, names = {"FUSED", "ELEMENTWISE"})
  void stateRoundTripContinuesBitExactly(AdamWImplementation impl) {
    float[] w0 = {0.3f, -0.7f, 1.1f};
    float[][] grads = {{0.1f, 0.2f, -0.3f}, {0.5f, -0.1f, 0.05f}, {-0.2f, 0.4f, 0.9f}, {0.3f, 0.3f, -0.3f}};
    try (NDManager nm = NDManager.newBaseManager(Device.cpu())) {
      Params m1 = new Params();
      Param p1 = m1.add("w", w0, 3);
      m1.initialize(nm);
      Map<String, TensorData> saved;
      Map<String, String> meta;
      try (AdamW opt = new AdamW(List.of(new OptimParam("w", p1, 0.01, 1)), 0.9, 0.99, 1e-8, impl, nm)) {
        for (int s = 0; s < 2; s++) {
          setGrads(Map.of(p1, grads[s]));
          opt.step(0.01);
          opt.zeroGrad();
        }
        saved = opt.state();
        meta = opt.stateMetadata();
        for (int s = 2; s < 4; s++) {
          setGrads(Map.of(p1, grads[s]));
          opt.step(0.01);
          opt.zeroGrad();
        }
      }
      Params m2 = new Params();
      Param p2 = m2.add("w", w0, 3);
      m2.initialize(nm);
      try (AdamW warm = new AdamW(List.of(new OptimParam("w", p2, 0.01, 1)), 0.9, 0.99, 1e-8, impl, nm)) {
        for (int s = 0; s < 2; s++) {
          setGrads(Map.of(p2, grads[s]));
          warm.step(0.01);
          warm.zeroGrad();
        }
      }
      try (AdamW resumed = new AdamW(List.of(new OptimParam("w", p2, 0.01, 1)), 0.9, 0.99, 1e-8, impl, nm)) {
        resumed.load(new StateDict(saved, "saved", meta));
        assertThat(resumed.updates()).isEqualTo(2);
        for (int s = 2; s < 4; s++) {
          setGrads(Map.of(p2, grads[s]));
          resumed.step(0.01);
          resumed.zeroGrad();
        }
      }
      assertThat(p2.array().toFloatArray()).containsExactly(p1.array().toFloatArray());
      // a state for other parameters is refused with a clear message
      try (AdamW other = new AdamW(List.of(new OptimParam("v", p2, 0, 1)), 0.9, 0.99, 1e-8, impl, nm)) {
        assertThatThrownBy(() -> other.load(new StateDict(saved, "opt.safetensors", meta)))
            .hasMessageContaining("opt.safetensors")
            .hasMessageContaining("missing exp_avg.v")
            .hasMessageContaining("unexpected exp_avg.w");
      }
    }
  }
}
