package org.bevt4j.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import org.bevt4j.nn.fused.Attention;
import org.junit.jupiter.api.Test;

/** Smoke tests: the measurements run and give positive finite numbers (no timing assertions). */
class MatmulRateTest {
  @Test
  void matmulRateIsPositiveAndFinite() {
    try (NDManager m = NDManager.newBaseManager()) {
      MatmulRate.Result r = MatmulRate.measure(m, 128, 1, 3, 0.005);
      assertThat(r.medianGflops()).isPositive().isFinite();
      assertThat(r.bestGflops()).isGreaterThanOrEqualTo(r.medianGflops());
      assertThat(r.matmulsPerRun()).isPositive();
      assertThat(r.device()).isEqualTo(m.getDevice().toString());
      assertThatThrownBy(() -> MatmulRate.measure(m, 0, 1, 1, 0)).hasMessageContaining("n=0");
    }
  }

  @Test
  void microBenchmarksProduceRecords() {
    try (NDManager m = NDManager.newBaseManager()) {
      MicroBenchmarks.WindowShape s = new MicroBenchmarks.WindowShape(1, 2, 2, 18, 4, true, MicroBenchmarks.Bias.TRAINABLE);
      for (Attention.Mode mode : Attention.Mode.values()) {
        BenchRecord r = MicroBenchmarks.windowAttention(m, mode, s, 1, 2, 100);
        assertThat(r.stepMs()).isPositive().isFinite();
        assertThat(r.gflopPerStep()).isEqualTo(3.0 * 2 * 2 * 2 * 18 * 18 * 8 / 1e9);
        assertThat(r.extras()).containsKeys("forward_ms", "backward_ms");
        assertThat(r.name()).contains(mode.configName());
      }
      BenchRecord tiny = MicroBenchmarks.tinyOpOverhead(m, 50, 2);
      assertThat(tiny.extras().get("add_us")).isPositive().isFinite();
      assertThat(tiny.extras().get("torchscript_call_us")).isPositive().isFinite();
    }
  }
}
