package org.bevt4j.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.nn.Param;
import org.junit.jupiter.api.Test;

class GradientsTest {
  @Test
  void globalNormClippingAndZeroing() {
    try (NDManager nm = NDManager.newBaseManager(Device.cpu())) {
      AdamWTest.Params mod = new AdamWTest.Params();
      Param a = mod.add("a", new float[] {1, 2, 3, 4}, 2, 2);
      Param b = mod.add("b", new float[] {5, 6}, 2);
      Param none = mod.add("c", new float[] {7}, 1);
      mod.initialize(nm);
      Map<Param, float[]> g = new LinkedHashMap<>();
      g.put(a, new float[] {3, 0, 0, 4});
      g.put(b, new float[] {0, 12});
      AdamWTest.setGrads(g);
      List<Param> all = List.of(a, b, none);
      try (NDScope s = new NDScope()) {
        assertThat(Gradients.gradOrNull(none.array())).isNull();
        assertThat(Gradients.gradOrNull(a.array())).isNotNull();
      }
      assertThat(Gradients.withGradient(all)).containsExactly(a, b);
      assertThat(Gradients.globalNorm(all)).isCloseTo(13.0, within(1e-5)); // sqrt(9+16+144)
      // below the threshold: untouched
      assertThat(Gradients.clipByGlobalNorm(all, 20)).isCloseTo(13.0, within(1e-5));
      assertThat(Gradients.globalNorm(all)).isCloseTo(13.0, within(1e-5));
      // above: the pre-clip norm is returned and the global norm becomes max_norm
      assertThat(Gradients.clipByGlobalNorm(all, 1.0)).isCloseTo(13.0, within(1e-5));
      assertThat(Gradients.globalNorm(all)).isCloseTo(1.0, within(1e-5));
      try (NDScope s = new NDScope()) {
        assertThat(Gradients.gradOrNull(b.array()).toFloatArray()).containsExactly(new float[] {0, 12f / 13}, within(1e-5f));
      }
      assertThat(Gradients.allFinite(all)).isTrue();
      // a NaN gradient: detected, and zeroing clears it (NaN-safe)
      Map<Param, float[]> bad = new LinkedHashMap<>();
      bad.put(b, new float[] {Float.NaN, 1});
      AdamWTest.setGrads(bad);
      assertThat(Gradients.allFinite(all)).isFalse();
      assertThat(Gradients.globalNorm(all)).isNaN();
      Gradients.zero(all);
      assertThat(Gradients.allFinite(all)).isTrue();
      assertThat(Gradients.globalNorm(all)).isEqualTo(0.0);
      try (NDScope s = new NDScope()) {
        assertThat(Gradients.gradOrNull(none.array())).isNull();
      }
      // unscaling multiplies in place
      AdamWTest.setGrads(Map.of(a, new float[] {8, 0, 0, 0}));
      Gradients.scale(all, 0.25);
      assertThat(Gradients.globalNorm(all)).isCloseTo(2.0, within(1e-6));
    }
  }
}
