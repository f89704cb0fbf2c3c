package org.bevt4j.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchRecordTest {
  @Test
  void derivedRatesAndJsonRoundTrip() {
    BenchRecord r = BenchRecord.of("swin-t step", 250, 50, 100)
        .withExtra("clips_per_s", 8).withExtra("forward_ms", 80);
    assertThat(r.achievedGflops()).isEqualTo(200.0);
    assertThat(r.ratio()).isEqualTo(2.0);
    String json = r.toJson();
    assertThat(json).contains("\"step_ms\": 250.0", "\"achieved_gflops\": 200.0", "\"clips_per_s\": 8.0");
    assertThat(json.indexOf("\"ratio\"")).isLessThan(json.indexOf("\"clips_per_s\""));
    assertThat(BenchRecord.fromJson(json)).isEqualTo(r);

    BenchRecord unknown = new BenchRecord("jni", 0.002, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, java.util.Map.of("add_us", 2.0));
    String arr = BenchRecord.toJson(List.of(r, unknown));
    assertThat(arr).contains("\"gflop_per_step\": null");
    List<BenchRecord> back = BenchRecord.listFromJson(arr);
    assertThat(back).hasSize(2);
    assertThat(back.get(0)).isEqualTo(r);
    assertThat(back.get(1).gflopPerStep()).isNaN();
    assertThat(back.get(1).extras()).containsEntry("add_us", 2.0);
    assertThatThrownBy(() -> r.withExtra("ratio", 1)).hasMessageContaining("clashes");
    assertThatThrownBy(() -> BenchRecord.fromJson("{\"step_ms\": 1}")).hasMessageContaining("'name'");
  }

  @Test
  void fixedWidthTable() {
    BenchRecord a = BenchRecord.of("matmul", 80, 17.18, 214.75);
    BenchRecord b = BenchRecord.of("attention fused", 12.5, 0.5, 214.75).withExtra("forward_ms", 4.25);
    String t = BenchTable.format(List.of(a, b));
    String expected = String.join("\n",
        "name             step ms  GFLOP/step  GFLOP/s  matmul GFLOP/s   ratio  forward_ms",
        "-" + "-".repeat(80),
        "matmul             80.00       17.18    214.8           214.8   1.000           -",
        "attention fused    12.50      0.5000    40.00           214.8  0.1863       4.250",
        "");
    assertThat(t).isEqualTo(expected);
    assertThat(BenchTable.number(12345.6)).isEqualTo("12346");
    assertThat(BenchTable.number(0.012345)).isEqualTo("0.01235");
    assertThat(BenchTable.number(Double.NaN)).isEqualTo("-");
  }
}
