package org.bevt4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.io.DType;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code precision = fp16} on the CPU: float16 Linear/Conv/matmul with float32 master weights and
 * dynamic loss scaling. It tracks the float32 run, learns, skips overflowing steps without touching
 * the weights, and resumes exactly with the scaler's state.
 */
class PretrainerFp16Test {
  private static final String FP16 = "\nbevt.train.precision = fp16";

  @TempDir Path tmp;

  private RecordingListener run(Path dir, String overrides, long stopAt) {
    Config cfg = Tiny.config(dir, overrides);
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, 5, 2, 4, 0.0, 2);
      Pretrainer[] self = new Pretrainer[1];
      RecordingListener rec = new RecordingListener() {
        @Override
        public void onStep(StepMetrics s) {
          super.onStep(s);
          if (s.step() == stopAt) {
            self[0].requestStop();
          }
        }
      };
      self[0] = Tiny.trainer(c, cfg, m).optListener(rec).build();
      self[0].run();
      return rec;
    }
  }

  private static double mean(double[] v, int from, int to) {
    return Arrays.stream(v, from, to).average().orElseThrow();
  }

  @Test
  void fp16TracksFp32OnTheFirstStepAndLowersTheLoss() {
    String cfg = "bevt.train { stages = [{ name = s, streams = [video, image], steps = 30 }], optimizer { lr = 5e-3, weight-decay = 0 },"
        + " schedule { type = constant, warmup-steps = 0 }, clip-grad-norm = 0, log-every = 10 }";
    RecordingListener full = run(tmp.resolve("fp32"), cfg, -1);
    // the default initial scale 65536: the first steps may overflow and be skipped (as with GradScaler)
    RecordingListener half = run(tmp.resolve("fp16"), cfg + FP16, -1);
    StepMetrics f = full.steps.get(0);
    StepMetrics h = half.steps.get(0);
    // same weights, batch and masks on step 1: only float16 rounding separates the two (the CE of a
    // 32-token vocabulary near log(32) moves by ~u = 5e-4 relative; 1% leaves ample room)
    assertThat(h.videoLoss()).isCloseTo(f.videoLoss(), withinPercentage(1)).isNotEqualTo(f.videoLoss());
    assertThat(h.imageLoss()).isCloseTo(f.imageLoss(), withinPercentage(1)).isNotEqualTo(f.imageLoss());
    assertThat(h.lossScale()).isEqualTo(65536.0);
    double[] l = half.losses();
    assertThat(mean(l, 25, 30)).isLessThan(0.75 * mean(l, 0, 5));
    long skipped = half.steps.get(29).skippedSteps();
    assertThat(skipped).isLessThan(5);
    assertThat(half.steps.get(29).lossScale()).isEqualTo(65536.0 / (1L << skipped));
    // with a scale that does not overflow, the unscaled gradient on the float32 leaves agrees in norm
    RecordingListener small = run(tmp.resolve("fp16-small"), cfg.replace("steps = 30", "steps = 1") + FP16 + "\nbevt.train.fp16.initial-scale = 1024", -1);
    assertThat(small.steps.get(0).skippedSteps()).isZero();
    assertThat(small.steps.get(0).gradNorm()).isCloseTo(f.gradNorm(), withinPercentage(2)).isNotEqualTo(f.gradNorm());
    // master weights stay float32
    Checkpoint ck = new CheckpointStore(tmp.resolve("fp16/checkpoints"), 2).latestValid().orElseThrow();
    for (Map.Entry<String, TensorData> e : ck.model().tensors().entrySet()) {
      assertThat(e.getValue().dtype()).as(e.getKey()).isEqualTo(DType.F32);
    }
  }

  @Test
  void anOverflowSkipsTheUpdateHalvesTheScaleAndLeavesTheWeightsUnchanged() {
    // a scale of 2^40 overflows float16 in the backward (the head's input gradient alone is ~2^40/M)
    Config cfg = Tiny.config(tmp.resolve("ovf"),
        "bevt.train { stages = [{ name = s, streams = [video, image], steps = 2 }], fp16 { initial-scale = 1099511627776 } }" + FP16);
    RecordingListener rec = new RecordingListener();
    StateDict before;
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, 5, 2, 4);
      before = new StateDict(StateDictBinder.snapshot(c.backbone()), "before");
      Tiny.trainer(c, cfg, m).optListener(rec).build().run();
    }
    assertThat(rec.steps).hasSize(2);
    assertThat(rec.steps.get(0).skippedSteps()).isEqualTo(1);
    assertThat(rec.steps.get(0).gradNorm()).isNaN();
    assertThat(rec.steps.get(0).lossScale()).isEqualTo(Math.pow(2, 40)); // the scale the step used
    assertThat(rec.steps.get(1).skippedSteps()).isEqualTo(2);
    assertThat(rec.steps.get(1).lossScale()).isEqualTo(Math.pow(2, 39));
    assertThat(rec.steps.get(0).videoLoss()).isFinite(); // the forward is not scaled: only the gradients overflow
    Checkpoint ck = new CheckpointStore(tmp.resolve("ovf/checkpoints"), 2).latestValid().orElseThrow();
    assertThat(ck.optimizer().metadata().get("updates")).isEqualTo("0");
    JsonObject ls = ck.trainer().getAsJsonObject("loss_scaler");
    assertThat(ls.get("scale").getAsDouble()).isEqualTo(Math.pow(2, 38));
    assertThat(ls.get("skipped").getAsLong()).isEqualTo(2);
    StateDict after = ck.model();
    for (Map.Entry<String, TensorData> e : before.tensors().entrySet()) {
      assertThat(after.get(MaskedModelingModel.BACKBONE + e.getKey()).bitEquals(e.getValue())).as(e.getKey()).isTrue();
    }
  }

  @Test
  void resumeRestoresTheLossScalerAndContinuesBitIdentically() {
    // the scale doubles every 2 good steps (1024 for steps 1-2, 2048 for 3-4, 4096 for 5-6): a
    // resumed run that lost the scaler state would use 1024 again
    String cfg = "bevt.train { stages = [{ name = s, streams = [video, image], steps = 6 }], checkpoint-every = 2, keep-checkpoints = 5,"
        + " fp16 { initial-scale = 1024, growth-interval = 2 } }" + FP16;
    RecordingListener full = run(tmp.resolve("a"), cfg, -1);
    run(tmp.resolve("b"), cfg, 3);
    RecordingListener resumed = run(tmp.resolve("b"), cfg + "\nbevt.run.resume = auto", -1);
    assertThat(resumed.steps).hasSize(3);
    for (int i = 0; i < 3; i++) {
      StepMetrics x = full.steps.get(3 + i);
      StepMetrics y = resumed.steps.get(i);
      assertThat(y.loss()).as("loss at step %d", x.step()).isEqualTo(x.loss());
      assertThat(y.lossScale()).as("scale at step %d", x.step()).isEqualTo(x.lossScale());
    }
    assertThat(full.steps.get(5).lossScale()).isEqualTo(4096.0);
    assertThat(full.steps.get(5).skippedSteps()).isZero();
    Checkpoint a = CheckpointStore.open(tmp.resolve("a/checkpoints/step-6"));
    Checkpoint b = CheckpointStore.open(tmp.resolve("b/checkpoints/step-6"));
    for (Map.Entry<String, TensorData> e : a.model().tensors().entrySet()) {
      assertThat(b.model().get(e.getKey()).bitEquals(e.getValue())).as(e.getKey()).isTrue();
    }
    assertThat(b.trainer().get("loss_scaler")).isEqualTo(a.trainer().get("loss_scaler"));
    Checkpoint mid = CheckpointStore.open(tmp.resolve("b/checkpoints/step-3"));
    assertThat(mid.trainer().getAsJsonObject("loss_scaler").get("scale").getAsDouble()).isEqualTo(2048.0);
    assertThat(mid.trainer().getAsJsonObject("loss_scaler").get("good_steps").getAsInt()).isEqualTo(1);
  }
}
