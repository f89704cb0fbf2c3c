package org.bevt4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Map;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.optim.LossScaler;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accumulation and loss scaling are exact reformulations of a plain step. */
class PretrainerStepTest {
  @TempDir Path tmp;

  private Checkpoint run(String name, String overrides, LossScaler scaler, RecordingListener rec) {
    Config cfg = Tiny.config(tmp.resolve(name), overrides);
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, 11, 8, 8, 0.0, 2);
      Pretrainer.Builder b = Tiny.trainer(c, cfg, m).optListener(rec);
      if (scaler != null) {
        b.optLossScaler(scaler);
      }
      b.build().run();
    }
    return new CheckpointStore(tmp.resolve(name).resolve("checkpoints"), 3).latestValid().orElseThrow();
  }

  private static double maxAbsDiff(StateDict a, StateDict b) {
    double d = 0;
    for (Map.Entry<String, TensorData> e : a.tensors().entrySet()) {
      float[] x = e.getValue().toFloats();
      float[] y = b.get(e.getKey()).toFloats();
      for (int i = 0; i < x.length; i++) {
        d = Math.max(d, Math.abs(x[i] - y[i]));
      }
    }
    return d;
  }

  @Test
  void accumulatingTwoMicroBatchesEqualsOneBatchOfTwiceTheSize() {
    String common = "bevt.train { stages = [{ name = j, streams = [video, image], steps = 3 }], clip-grad-norm = 1.0 }\n";
    RecordingListener acc = new RecordingListener();
    RecordingListener big = new RecordingListener();
    Checkpoint a = run("acc", common + "bevt.train { accumulate = 2, batch-size { video = 2, image = 2 } }", null, acc);
    Checkpoint b = run("big", common + "bevt.train { accumulate = 1, batch-size { video = 4, image = 4 } }", null, big);
    for (int i = 0; i < 3; i++) {
      assertThat(acc.steps.get(i).videoLoss()).isCloseTo(big.steps.get(i).videoLoss(), within(1e-5));
      assertThat(acc.steps.get(i).imageLoss()).isCloseTo(big.steps.get(i).imageLoss(), within(1e-5));
      assertThat(acc.steps.get(i).gradNorm()).isCloseTo(big.steps.get(i).gradNorm(), within(1e-5 * big.steps.get(i).gradNorm()));
      assertThat(acc.steps.get(i).videoAccuracy()).isEqualTo(big.steps.get(i).videoAccuracy());
    }
    assertThat(maxAbsDiff(a.model(), b.model())).isLessThan(1e-5);
    assertThat(maxAbsDiff(a.optimizer(), b.optimizer())).isLessThan(1e-5);
    // sanity: the comparison can fail (a different batch gives other weights)
    Checkpoint other = run("other", common + "bevt.train { accumulate = 1, batch-size { video = 2, image = 2 } }", null, new RecordingListener());
    assertThat(maxAbsDiff(a.model(), other.model())).isGreaterThan(1e-4);
  }

  @Test
  void staticPowerOfTwoLossScalingIsExactAndOverflowSkipsTheStep() {
    String cfg = "bevt.train { stages = [{ name = j, streams = [video, image], steps = 3 }], accumulate = 2 }";
    Checkpoint plain = run("plain", cfg, null, new RecordingListener());
    RecordingListener scaledRec = new RecordingListener();
    Checkpoint scaled = run("scaled", cfg, LossScaler.standard(1024, 1_000_000), scaledRec);
    assertThat(maxAbsDiff(plain.model(), scaled.model())).isZero();
    assertThat(scaledRec.lines.get(0)).contains("| scale 1024");

    RecordingListener rec = new RecordingListener();
    LossScaler huge = LossScaler.standard(Math.pow(2, 127), 1_000_000);
    Checkpoint c = run("huge", "bevt.train { stages = [{ name = j, streams = [video, image], steps = 8 }] }", huge, rec);
    assertThat(huge.skipped()).isGreaterThanOrEqualTo(1);
    assertThat(rec.steps.get(0).skippedSteps()).isEqualTo(1);
    assertThat(rec.steps.get(0).gradNorm()).isNaN();
    assertThat(huge.scale()).isLessThan(Math.pow(2, 127));
    assertThat(Long.parseLong(c.optimizer().metadata().get("updates"))).isEqualTo(8 - huge.skipped());
    assertThat(c.trainer().getAsJsonObject("loss_scaler").get("skipped").getAsLong()).isEqualTo(huge.skipped());
  }
}
