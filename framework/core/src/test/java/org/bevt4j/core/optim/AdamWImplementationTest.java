package org.bevt4j.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.Param;
import org.junit.jupiter.api.Test;

/** The fused AdamW update against the elementwise one: same semantics, float32 rounding apart. */
class AdamWImplementationTest {
  /** Shapes: SIMD-sized, with a tail, tiny, a matrix; the last parameter never gets a gradient. */
  private static final long[][] SHAPES = {{64}, {37}, {3}, {5, 7}, {4}};
  private static final double[] DECAY = {0.05, 0.05, 0.0, 0.1, 0.05};
  private static final double[] LR_SCALE = {1.0, 0.5, 1.0, 0.25, 1.0};
  private static final double[] LRS = {1e-3, 2e-2, 5e-2, 1e-2, 3e-3, 4e-2};

  /** A model instance: parameters with fixed random start values. */
  private static final class Model {
    final AdamWTest.Params mod = new AdamWTest.Params();
    final List<Param> params = new ArrayList<>();
    final List<OptimParam> optim = new ArrayList<>();

    Model(NDManager nm) {
      this(nm, null);
    }

    /** Starts from {@code start} (one array per parameter) or, if null, from fixed random values. */
    Model(NDManager nm, List<float[]> start) {
      Random rnd = new Random(11);
      for (int i = 0; i < SHAPES.length; i++) {
        float[] init = start == null ? gaussian(rnd, size(SHAPES[i])) : start.get(i);
        params.add(mod.add("p" + i, init, SHAPES[i]));
      }
      mod.initialize(nm);
      for (int i = 0; i < SHAPES.length; i++) {
        optim.add(new OptimParam("p" + i, params.get(i), DECAY[i], LR_SCALE[i]));
      }
    }

    /** Step {@code s}'s gradients (a pure function of s), for every parameter but the last. */
    void setGrads(int s) {
      Random rnd = new Random(100 + s);
      Map<Param, float[]> g = new LinkedHashMap<>();
      for (int i = 0; i < SHAPES.length - 1; i++) {
        float[] v = gaussian(rnd, size(SHAPES[i]));
        if (i == 0) {
          v[5] = 0f; // exact zeros and large values take part as well
          v[6] = 40f;
        }
        g.put(params.get(i), v);
      }
      AdamWTest.setGrads(g);
    }

    float[] values(int i) {
      return params.get(i).array().toFloatArray();
    }
  }

  private static AdamW adamW(Model m, AdamWImplementation impl, NDManager nm) {
    return new AdamW(m.optim, 0.9, 0.999, 1e-8, impl, nm);
  }

  @Test
  void autoPicksFusedOnThisCpuAndElementwiseStaysSelectable() {
    try (NDManager nm = NDManager.newBaseManager(Device.cpu())) {
      Model m = new Model(nm);
      try (AdamW auto = adamW(m, AdamWImplementation.AUTO, nm);
          AdamW plain = adamW(m, AdamWImplementation.ELEMENTWISE, nm);
          AdamW fiveArgs = new AdamW(m.optim, 0.9, 0.999, 1e-8, nm)) {
        assertThat(auto.implementation()).isEqualTo(AdamWImplementation.FUSED);
        assertThat(plain.implementation()).isEqualTo(AdamWImplementation.ELEMENTWISE);
        assertThat(fiveArgs.implementation()).isEqualTo(AdamWImplementation.FUSED);
      }
      assertThat(AdamWImplementation.fromConfigName("elementwise")).isEqualTo(AdamWImplementation.ELEMENTWISE);
      assertThatThrownBy(() -> AdamWImplementation.fromConfigName("foreach"))
          .hasMessageContaining("'foreach'").hasMessageContaining("auto, fused, elementwise");
    }
  }

  @Test
  void fusedAgreesWithElementwiseOverStepsWithDecayLrScalesAndAParamWithoutGrad() {
    try (NDManager nm = NDManager.newBaseManager(Device.cpu())) {
      Model a = new Model(nm);
      Model b = new Model(nm);
      try (AdamW fused = adamW(a, AdamWImplementation.FUSED, nm);
          AdamW plain = adamW(b, AdamWImplementation.ELEMENTWISE, nm)) {
        for (int s = 0; s < LRS.length; s++) {
          a.setGrads(s);
          b.setGrads(s);
          assertThat(fused.step(LRS[s])).isEqualTo(SHAPES.length - 1);
          assertThat(plain.step(LRS[s])).isEqualTo(SHAPES.length - 1);
          fused.zeroGrad();
          plain.zeroGrad();
        }
        assertAgree(a, b);
        assertStatesAgree(fused.state(), plain.state());
        // the parameter without gradient: untouched, step 0, in both
        int last = SHAPES.length - 1;
        assertThat(a.values(last)).containsExactly(b.values(last));
        assertThat(fused.state().get("step.p" + last).toLongs()).containsExactly(0L);
        assertThat(fused.state().get("step.p0").toLongs()).containsExactly(LRS.length);
      }
    }
  }

  @Test
  void fusedResumesBitExactlyAndAgreesAfterLoadingAnElementwiseState() {
    int half = LRS.length / 2;
    try (NDManager nm = NDManager.newBaseManager(Device.cpu())) {
      // uninterrupted fused run
      Model full = new Model(nm);
      Map<String, TensorData> saved;
      Map<String, String> meta;
      List<float[]> atHalf = new ArrayList<>();
      try (AdamW opt = adamW(full, AdamWImplementation.FUSED, nm)) {
        for (int s = 0; s < LRS.length; s++) {
          if (s == half) {
            for (int i = 0; i < SHAPES.length; i++) {
              atHalf.add(full.values(i));
            }
          }
          full.setGrads(s);
          opt.step(LRS[s]);
          opt.zeroGrad();
        }
      }
      // a fused run saved halfway, resumed by a fresh fused optimizer on restored weights
      Model first = new Model(nm);
      try (AdamW opt = adamW(first, AdamWImplementation.FUSED, nm)) {
        for (int s = 0; s < half; s++) {
          first.setGrads(s);
          opt.step(LRS[s]);
          opt.zeroGrad();
        }
        saved = opt.state();
        meta = opt.stateMetadata();
      }
      Model resumed = new Model(nm, atHalf);
      try (AdamW opt = adamW(resumed, AdamWImplementation.FUSED, nm)) {
        opt.load(new StateDict(saved, "saved", meta));
        assertThat(opt.updates()).isEqualTo(half);
        for (int s = half; s < LRS.length; s++) {
          resumed.setGrads(s);
          opt.step(LRS[s]);
          opt.zeroGrad();
        }
      }
      for (int i = 0; i < SHAPES.length; i++) {
        assertThat(resumed.values(i)).as("p%d", i).containsExactly(full.values(i));
      }
      // an elementwise run resumed with the fused kernel from the same state: within rounding
      Model mixed = new Model(nm, atHalf);
      try (AdamW opt = adamW(mixed, AdamWImplementation.ELEMENTWISE, nm)) {
        opt.load(new StateDict(saved, "saved", meta));
        for (int s = half; s < LRS.length; s++) {
          mixed.setGrads(s);
          opt.step(LRS[s]);
          opt.zeroGrad();
        }
      }
      assertAgree(full, mixed);
    }
  }

  /** Weights agree to a few float32 ulps of the update size (lr ≤ 0.05 per step). */
  private static void assertAgree(Model a, Model b) {
    for (int i = 0; i < SHAPES.length; i++) {
      float[] x = a.values(i);
      float[] y = b.values(i);
      for (int j = 0; j < x.length; j++) {
        double tol = 2e-6 * Math.max(1, Math.abs(y[j]));
        assertThat((double) Math.abs(x[j] - y[j])).as("p%d[%d]: %s vs %s", i, j, x[j], y[j]).isLessThanOrEqualTo(tol);
      }
    }
  }

  private static void assertStatesAgree(Map<String, TensorData> a, Map<String, TensorData> b) {
    assertThat(a.keySet()).containsExactlyElementsOf(b.keySet());
    for (String k : a.keySet()) {
      if (k.startsWith("step.")) {
        assertThat(a.get(k).toLongs()).as(k).containsExactly(b.get(k).toLongs());
        continue;
      }
      float[] x = a.get(k).toFloats();
      float[] y = b.get(k).toFloats();
      for (int j = 0; j < x.length; j++) {
        assertThat(Math.abs(x[j] - y[j])).as("%s[%d]", k, j).isLessThanOrEqualTo(1e-6f * Math.max(1, Math.abs(y[j])));
      }
    }
  }

  private static long size(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  private static float[] gaussian(Random rnd, long n) {
    float[] out = new float[(int) n];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) rnd.nextGaussian();
    }
    return out;
  }
}
