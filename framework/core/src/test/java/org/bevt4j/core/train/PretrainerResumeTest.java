package org.bevt4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.metrics.MetricsHistory;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exact resume, checkpoint fallback and the NaN guard. */
class PretrainerResumeTest {
  /** Two stages (image, then joint inflated from it), accumulation, clipping, dropout. */
  static final String TWO_STAGES =
      "bevt.train { stages = [{ name = image, streams = [image], steps = 3 },"
          + " { name = joint, streams = [video, image], init = inflate-from-previous, steps = 5 }],"
          + " accumulate = 2, clip-grad-norm = 0.5, checkpoint-every = 2, keep-checkpoints = 2, schedule { warmup-steps = 2 } }";

  @TempDir Path tmp;

  private RecordingListener run(Path dir, String overrides, long seed, long stopAt) {
    Config cfg = Tiny.config(dir, overrides);
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, seed, 6, 8);
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
      PretrainResult r = self[0].run();
      assertThat(r.status()).isEqualTo(stopAt > 0 ? PretrainResult.Status.STOPPED : PretrainResult.Status.COMPLETED);
      return rec;
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
  void resumedRunEqualsUninterruptedBitwise(long stopAt) throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    RecordingListener full = run(a, TWO_STAGES, 7, -1);
    assertThat(full.steps).hasSize(8);

    RecordingListener first = run(b, TWO_STAGES, 7, stopAt);
    assertThat(first.steps).hasSize((int) stopAt);
    assertThat(first.checkpoints).contains(stopAt);
    // a new process: other init seed (weights must come from the checkpoint)
    RecordingListener second = run(b, TWO_STAGES + "\nbevt.run.resume = auto", 99, -1);
    assertThat(second.steps).hasSize((int) (8 - stopAt));
    for (int i = 0; i < second.steps.size(); i++) {
      StepMetrics x = full.steps.get((int) stopAt + i);
      StepMetrics y = second.steps.get(i);
      assertThat(y.step()).isEqualTo(x.step());
      assertThat(y.loss()).as("loss at step %d", x.step()).isEqualTo(x.loss());
      assertThat(y.gradNorm()).isEqualTo(x.gradNorm());
      assertThat(y.lr()).isEqualTo(x.lr());
    }
    Checkpoint ca = CheckpointStore.open(a.resolve("checkpoints/step-8"));
    Checkpoint cb = CheckpointStore.open(b.resolve("checkpoints/step-8"));
    assertBitEqual(ca.model(), cb.model());
    assertBitEqual(ca.optimizer(), cb.optimizer());
    // metrics continue without duplicates
    List<Long> steps = MetricsHistory.read(b).stream().map(r -> ((Number) r.get("step")).longValue()).toList();
    assertThat(steps).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(b.resolve("plots/loss.png")).isRegularFile();
  }

  @Test
  void truncatedCheckpointIsDetectedAndThePreviousOneUsed() throws IOException {
    String cfg = "bevt.train { stages = [{ name = joint, streams = [video, image], steps = 8 }], checkpoint-every = 2, keep-checkpoints = 3 }";
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    RecordingListener full = run(a, cfg, 3, -1);
    run(b, cfg, 3, 7);
    assertThat(new CheckpointStore(b.resolve("checkpoints"), 3).list()).extracting(p -> p.getFileName().toString())
        .containsExactly("step-4", "step-6", "step-7");
    Files.delete(b.resolve("checkpoints/step-7/optimizer.safetensors"));
    Path model6 = b.resolve("checkpoints/step-6/model.safetensors");
    try (FileChannel ch = FileChannel.open(model6, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    Config resumed = Tiny.config(b, cfg + "\nbevt.run.resume = auto");
    try (NDManager m = Tiny.manager()) {
      RecordingListener rec = new RecordingListener();
      PretrainResult r = Tiny.trainer(Tiny.components(m, 3, 6, 8), resumed, m).optListener(rec).build().run();
      assertThat(r.resumedFrom().getFileName().toString()).isEqualTo("step-4");
      assertThat(r.globalStep()).isEqualTo(8);
      assertThat(rec.steps.get(0).step()).isEqualTo(5);
      for (int i = 0; i < 4; i++) {
        assertThat(rec.steps.get(i).loss()).isEqualTo(full.steps.get(4 + i).loss());
      }
    }
    // step-6 was rewritten by the resumed run and verifies again
    assertThat(CheckpointStore.open(b.resolve("checkpoints/step-6")).step()).isEqualTo(6);
    // resuming a finished run does nothing
    try (NDManager m = Tiny.manager()) {
      RecordingListener rec = new RecordingListener();
      PretrainResult r = Tiny.trainer(Tiny.components(m, 3, 6, 8), resumed, m).optListener(rec).build().run();
      assertThat(r.status()).isEqualTo(PretrainResult.Status.COMPLETED);
      assertThat(r.globalStep()).isEqualTo(8);
      assertThat(r.resumedFrom().getFileName().toString()).isEqualTo("step-8");
      assertThat(rec.steps).isEmpty();
    }
  }

  @Test
  void nanLossStopsTheRunAndKeepsTheLastGoodCheckpoint() {
    Config cfg = Tiny.config(tmp.resolve("n"), "bevt.train { stages = [{ name = joint, streams = [video, image], steps = 6 }], checkpoint-every = 1 }");
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, 5, 2, 4);
      TrainingListener poison = new TrainingListener() {
        @Override
        public void onStep(StepMetrics s) {
          if (s.step() == 2) {
            ((TinyDataset) c.videoDataset()).nanIndex = 1;
          }
        }
      };
      assertThatThrownBy(() -> Tiny.trainer(c, cfg, m).optListener(poison).build().run())
          .isInstanceOf(TrainingDivergedException.class)
          .hasMessageContaining("step 3")
          .hasMessageContaining("video loss")
          .hasMessageContaining("NaN");
    }
    CheckpointStore store = new CheckpointStore(tmp.resolve("n/checkpoints"), 3);
    assertThat(store.latestValid().orElseThrow().step()).isEqualTo(2);
    assertThat(tmp.resolve("n/checkpoints/step-3")).doesNotExist();
    // the good checkpoint is loadable
    assertThat(SafeTensors.read(tmp.resolve("n/checkpoints/step-2/model.safetensors")).keys()).contains("cls_head.lm_head.weight");
    assertThat(Files.exists(tmp.resolve("n/checkpoints/latest"))).isTrue();
  }
}
