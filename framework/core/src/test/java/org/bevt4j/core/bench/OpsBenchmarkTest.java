package org.bevt4j.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Smoke test of {@code bench ops} on tiny shapes: every case runs and reports (no timing assertions). */
class OpsBenchmarkTest {
  @Test
  void everyCaseProducesARecord() {
    List<String> log = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      OpsBenchmark.Options o = new OpsBenchmark.Options(0, 1, 0, new int[] {1}, new int[] {1, 1}, 8);
      List<BenchRecord> records = OpsBenchmark.run(o, m, log::add);
      assertThat(records).extracting(BenchRecord::name).hasSize(6).startsWith(
          "relative bias lookup window=[8, 7, 7] n=392 heads=1",
          "relative bias factorized window=[8, 7, 7] n=392 heads=1",
          "relative bias lookup window=[8, 7, 7] n=49 heads=1",
          "relative bias factorized window=[8, 7, 7] n=49 heads=1");
      assertThat(records.get(4).name()).startsWith("adamw elementwise 31 tensors");
      assertThat(records.get(5).name()).startsWith("adamw fused 31 tensors");
      for (BenchRecord r : records) {
        assertThat(r.stepMs()).as(r.name()).isPositive().isFinite();
        assertThat(r.extras().get("min_ms")).as(r.name()).isPositive().isLessThanOrEqualTo(r.stepMs());
      }
      assertThat(log).hasSize(7).first().asString().contains("libtorch threads");
    }
    // two stages of one block: 13 per block, 3 for the merging, 2 for the head
    assertThat(OpsBenchmark.swinShapes(new int[] {1, 1}, 8)).hasSize(31);
    assertThatThrownBy(() -> OpsBenchmark.Options.swinT(0, 0, 0)).hasMessageContaining("iterations >= 1");
  }
}
