package org.bevt4j.core.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointException;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.metrics.MetricsHistory;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exact resume: N + M steps in one go equal N steps, a stop, and M more after a resume, bit for bit. */
class FinetuneResumeTest {
  /** Accumulation, clipping, drop path, head dropout, label smoothing, periodic validation and checkpoints. */
  static final String RECIPE =
      "bevt.finetune { steps = 8, accumulate = 2, clip-grad-norm = 0.5, label-smoothing = 0.1, head.dropout = 0.3, eval-every = 3,"
          + " checkpoint-every = 2, keep-checkpoints = 2, schedule { warmup-steps = 3 }, test { clips = 1, crops = 3 } }";

  @TempDir Path tmp;

  private record Run(FinetuneResult result, List<StepRecord> steps) {}

  private Run run(Path dir, String overrides, long initSeed, long stopAt) {
    Config cfg = FtTesting.config(dir, RECIPE + "\n" + overrides);
    try (NDManager m = FtTesting.manager()) {
      Finetuner[] self = new Finetuner[1];
      List<StepRecord> steps = new ArrayList<>();
      self[0] = FtTesting.finetuner(cfg, m, FtTesting.backbone(m, initSeed, 0.2))
          .optListener(new FinetuneListener() {
            @Override
            public void onStep(StepRecord s) {
              steps.add(s);
              if (s.step() == stopAt) {
                self[0].requestStop();
              }
            }
          })
          .build();
      return new Run(self[0].run(), steps);
    }
  }

  private static void assertBitEqual(StateDict a, StateDict b) {
    assertThat(b.keys()).containsExactlyInAnyOrderElementsOf(a.keys());
    for (Map.Entry<String, TensorData> e : a.tensors().entrySet()) {
      assertThat(e.getValue().bitEquals(b.get(e.getKey()))).as(e.getKey()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {3, 5})
  void resumedRunEqualsUninterruptedBitwise(long stopAt) throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Run full = run(a, "", 7, -1);
    assertThat(full.steps()).hasSize(8);
    assertThat(full.result().status()).isEqualTo(FinetuneResult.Status.COMPLETED);

    Run first = run(b, "", 7, stopAt);
    assertThat(first.result().status()).isEqualTo(FinetuneResult.Status.STOPPED);
    assertThat(first.steps()).hasSize((int) stopAt);
    assertThat(first.result().lastCheckpoint()).hasFileName("step-" + stopAt);
    // a new process: another init seed, so the weights must come from the checkpoint
    Run second = run(b, "bevt.finetune.run.resume = auto", 99, -1);
    assertThat(second.result().resumedFrom()).hasFileName("step-" + stopAt);
    assertThat(second.steps()).hasSize((int) (8 - stopAt));
    for (int i = 0; i < second.steps().size(); i++) {
      StepRecord x = full.steps().get((int) stopAt + i);
      StepRecord y = second.steps().get(i);
      assertThat(y.step()).isEqualTo(x.step());
      assertThat(y.loss()).as("loss at step %d", x.step()).isEqualTo(x.loss());
      assertThat(y.gradNorm()).as("grad norm at step %d", x.step()).isEqualTo(x.gradNorm());
      assertThat(y.accuracy()).isEqualTo(x.accuracy());
      assertThat(y.lr()).isEqualTo(x.lr());
    }
    Checkpoint ca = CheckpointStore.resolve(a, 2);
    Checkpoint cb = CheckpointStore.resolve(b, 2);
    assertThat(cb.step()).isEqualTo(8);
    assertBitEqual(ca.model(), cb.model());
    assertBitEqual(ca.optimizer(), cb.optimizer());
    assertThat(cb.trainer().get("cursor").getAsString()).isEqualTo(ca.trainer().get("cursor").getAsString());
    assertThat(second.result().finalEval().top1()).isEqualTo(full.result().finalEval().top1());
    assertThat(second.result().finalEval().loss()).isEqualTo(full.result().finalEval().loss());
    // the metrics history reads as one run: no duplicated records after the resume point
    List<String> ka = MetricsHistory.read(a).stream().map(r -> r.get("kind") + "@" + r.get("step") + ":" + r.get("loss") + r.get("val_loss")).toList();
    List<String> kb = MetricsHistory.read(b).stream().map(r -> r.get("kind") + "@" + r.get("step") + ":" + r.get("loss") + r.get("val_loss")).toList();
    assertThat(kb).isEqualTo(ka);
  }

  @Test
  void resumingAFinishedRunOnlyValidatesAgain() {
    Path a = tmp.resolve("done");
    Run full = run(a, "", 7, -1);
    Run again = run(a, "bevt.finetune.run.resume = auto", 99, -1);
    assertThat(again.steps()).isEmpty();
    assertThat(again.result().status()).isEqualTo(FinetuneResult.Status.COMPLETED);
    assertThat(again.result().finalEval().top1()).isEqualTo(full.result().finalEval().top1());
    assertThat(again.result().finalEval().loss()).isEqualTo(full.result().finalEval().loss());
  }

  @Test
  void aPretrainingCheckpointIsNotResumed() throws Exception {
    Path dir = tmp.resolve("mixed");
    com.google.gson.JsonObject trainer = new com.google.gson.JsonObject();
    trainer.addProperty("global_step", 4);
    new CheckpointStore(dir.resolve("checkpoints"), 3).save(4, Map.of("backbone.x", TensorData.ofFloats(new float[] {1}, 1)), Map.of(),
        Map.of(), Map.of(), trainer);
    assertThatThrownBy(() -> run(dir, "bevt.finetune.run.resume = auto", 7, -1))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("not a fine-tuning checkpoint")
        .hasMessageContaining("init-from");
  }
}
