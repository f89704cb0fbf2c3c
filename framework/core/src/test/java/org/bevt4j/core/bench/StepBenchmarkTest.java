package org.bevt4j.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The step benchmark's orchestration on a tiny model: records per case and mode with the required
 * fields, alternation of the cases, the profiled overhead figures, JSON output. No timing is
 * asserted.
 */
class StepBenchmarkTest {
  static StepBenchmark.ModelSource tinySource() {
    return new StepBenchmark.ModelSource() {
      @Override
      public Device device() {
        return Device.cpu();
      }

      @Override
      public StepParts parts(StepPreset preset, List<String> extraSets) {
        return TinyStepParts.build(preset, extraSets);
      }

      @Override
      public BenchRecord tokenizer(int images, int warmup, int steps, Consumer<String> log) {
        throw new AssertionError("no tokenizer case was asked for");
      }
    };
  }

  @Test
  void everyCaseAndModeGetsARecordAndCasesAlternate() {
    List<String> log = new ArrayList<>();
    StepBenchmark.Options o = new StepBenchmark.Options(List.of(TinyStepParts.preset()),
        List.of(StepBenchmark.StreamCase.VIDEO, StepBenchmark.StreamCase.IMAGE, StepBenchmark.StreamCase.JOINT),
        List.of("composite", "fused"), 1, 2, 0, 0, true, 3, 128, null);
    List<BenchRecord> records = StepBenchmark.run(o, tinySource(), log::add);

    assertThat(records).hasSize(1 + 6);
    BenchRecord matmul = records.get(0);
    assertThat(matmul.name()).startsWith("matmul 128^2 fp32");
    assertThat(matmul.ratio()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(matmul.extras()).containsKeys("before_gflops", "after_gflops", "cpu_gflops", "threads");
    List<String> names = records.subList(1, 7).stream().map(BenchRecord::name).toList();
    assertThat(names).containsExactly(
        "tiny-step/test video composite", "tiny-step/test image composite", "tiny-step/test joint composite",
        "tiny-step/test video fused", "tiny-step/test image fused", "tiny-step/test joint fused");
    for (BenchRecord r : records.subList(1, 7)) {
      assertThat(r.stepMs()).as(r.name()).isPositive();
      assertThat(r.matmulGflops()).isEqualTo(matmul.matmulGflops());
      assertThat(r.gflopPerStep()).as("no FLOP count for a test backbone").isNaN();
      assertThat(r.extras()).containsKeys("forward_ms", "backward_ms", "optimizer_ms", "cpu_ms", "params_m", "threads", "load_avg",
          "native_ops", "java_calls", "gap_pct", "est_jni_pct");
      assertThat(r.extras().get("native_ops")).isGreaterThan(r.extras().get("java_calls")).isPositive();
      assertThat(r.extras().get("gap_pct")).isBetween(0.0, 100.0);
      assertThat(r.extras().containsKey("clips_per_s")).isEqualTo(!r.name().contains(" image "));
      assertThat(r.extras().containsKey("images_per_s")).isEqualTo(!r.name().contains(" video "));
    }
    // measured steps alternate over the six cases: case k of round i is line 6i + k
    List<String> steps = log.stream().filter(l -> l.contains(" step ")).toList();
    assertThat(steps).hasSize(12);
    for (int i = 0; i < steps.size(); i++) {
      assertThat(steps.get(i)).startsWith(names.get(i % 6) + " step " + (i / 6 + 1) + "/2");
    }
    JsonObject first = JsonParser.parseString(BenchRecord.toJson(records)).getAsJsonArray().get(1).getAsJsonObject();
    assertThat(first.keySet()).contains("name", "step_ms", "gflop_per_step", "achieved_gflops", "matmul_gflops", "ratio");
  }

  @Test
  void fp16PrecisionFromTheConfigRunsMixedPrecisionStepsWithLossScaling() {
    List<String> sets = new ArrayList<>(TinyStepParts.preset().sets());
    sets.add("bevt.train.precision=fp16");
    sets.add("bevt.train.fp16.initial-scale=1024");
    StepPreset half = new StepPreset(TinyStepParts.TYPE, "half", sets, 2, 4, 3, 16, 32);
    StepBenchmark.Options o = new StepBenchmark.Options(List.of(half), List.of(StepBenchmark.StreamCase.JOINT),
        List.of("composite", "fused"), 1, 2, 0, 0, false, 3, 128, null);
    List<BenchRecord> records = StepBenchmark.run(o, tinySource(), line -> { });
    assertThat(records).extracting(BenchRecord::name)
        .containsExactly(records.get(0).name(), "tiny-step/half joint composite fp16", "tiny-step/half joint fused fp16");
    for (BenchRecord r : records.subList(1, 3)) {
      assertThat(r.stepMs()).isPositive();
      assertThat(r.extras()).containsEntry("fp16", 1.0).containsEntry("skipped_steps", 0.0).containsEntry("loss_scale", 1024.0)
          .doesNotContainKey("fp16_ratio"); // no fp16 yardstick on a CPU
    }
  }

  @Test
  void presetsWithoutAStreamSkipItsCasesAndOptionsAreChecked() {
    StepPreset videoOnly = new StepPreset(TinyStepParts.TYPE, "video-only", TinyStepParts.preset().sets(), 1, 4, 0, 16, 32);
    StepBenchmark.Options o = new StepBenchmark.Options(List.of(videoOnly),
        List.of(StepBenchmark.StreamCase.IMAGE, StepBenchmark.StreamCase.VIDEO), List.of(), 0, 1, 0, 0, false, 1, 128, null);
    List<BenchRecord> records = StepBenchmark.run(o, tinySource(), line -> { });
    assertThat(records).extracting(BenchRecord::name).containsExactly(records.get(0).name(), "tiny-step/video-only video -");
    assertThat(records.get(1).extras()).doesNotContainKey("gap_pct");
    assertThatThrownBy(() -> new StepBenchmark.Options(List.of(), List.of(), List.of("flash"), 0, 1, 0, 0, false, 0))
        .hasMessageContaining("flash");
    assertThatThrownBy(() -> new StepBenchmark.Options(List.of(), List.of(), List.of(), 0, 0, 0, 0, false, 0))
        .hasMessageContaining("steps >= 1");
    assertThatThrownBy(() -> StepBenchmark.StreamCase.parse("both")).hasMessageContaining("both");
  }
}
