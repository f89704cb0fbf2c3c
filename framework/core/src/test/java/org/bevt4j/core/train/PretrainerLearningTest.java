package org.bevt4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer learns: the masked-token loss falls on a fixed batch, per stream and jointly. */
class PretrainerLearningTest {
  @TempDir Path tmp;

  private RecordingListener train(String streams, String name) {
    Config cfg = Tiny.config(tmp.resolve(name),
        "bevt.train { stages = [{ name = s, streams = " + streams + ", steps = 60 }], optimizer { lr = 5e-3, weight-decay = 0 },"
            + " schedule { type = constant, warmup-steps = 0 }, clip-grad-norm = 0, log-every = 10 }");
    try (NDManager m = Tiny.manager()) {
      // dataset size == batch size: every step sees the same samples (with fresh masks)
      PretrainComponents c = Tiny.components(m, 1, 2, 4);
      RecordingListener rec = new RecordingListener();
      PretrainResult r = Tiny.trainer(c, cfg, m).optListener(rec).build().run();
      assertThat(r.status()).isEqualTo(PretrainResult.Status.COMPLETED);
      assertThat(r.globalStep()).isEqualTo(60);
      return rec;
    }
  }

  private static double mean(double[] v, int from, int to) {
    return Arrays.stream(v, from, to).average().orElseThrow();
  }

  @Test
  void videoLossDecreases() {
    RecordingListener rec = train("[video]", "v");
    double[] l = rec.losses();
    assertThat(mean(l, 55, 60)).isLessThan(0.75 * mean(l, 0, 5));
    assertThat(rec.steps.get(59).videoAccuracy()).isGreaterThan(rec.steps.get(0).videoAccuracy());
    assertThat(rec.steps.get(0).imageLoss()).isNaN();
  }

  @Test
  void imageLossDecreases() {
    RecordingListener rec = train("[image]", "i");
    double[] l = rec.losses();
    assertThat(mean(l, 55, 60)).isLessThan(0.75 * mean(l, 0, 5));
    assertThat(rec.steps.get(0).videoLoss()).isNaN();
  }

  @Test
  void jointLossDecreasesForBothStreams() {
    RecordingListener rec = train("[video, image]", "j");
    double[] v = rec.steps.stream().mapToDouble(StepMetrics::videoLoss).toArray();
    double[] i = rec.steps.stream().mapToDouble(StepMetrics::imageLoss).toArray();
    assertThat(mean(v, 55, 60)).isLessThan(0.75 * mean(v, 0, 5));
    assertThat(mean(i, 55, 60)).isLessThan(0.75 * mean(i, 0, 5));
    StepMetrics s = rec.steps.get(10);
    assertThat(s.loss()).isCloseTo(s.videoLoss() + s.imageLoss(), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(rec.lines).hasSize(6);
    assertThat(rec.lines.get(0)).startsWith("step 10/60 (ep ").contains("| loss ").contains("(video ").contains(" / image ")
        .contains("| acc video ").contains("| lr 5.0e-3").contains("clips/s").contains("img/s").contains("| data ").contains("| ETA ");
  }
}
