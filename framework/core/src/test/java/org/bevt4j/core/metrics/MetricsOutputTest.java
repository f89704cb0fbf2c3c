package org.bevt4j.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.bevt4j.api.MetricsSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsOutputTest {
  @TempDir Path run;

  private static Map<String, Object> record(long step) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("step", step);
    r.put("stage", "joint");
    r.put("loss", 9.0 - step * 0.01);
    r.put("loss_video", 4.6 - step * 0.004);
    r.put("loss_image", 4.4 - step * 0.006);
    r.put("acc_video", 0.001 * step / 10);
    r.put("acc_image", 0.0015 * step / 10);
    r.put("lr", 5e-4 * Math.min(1, step / 50.0));
    return r;
  }

  @Test
  void jsonlAndCsvWrittenTruncatedOnResumeAndPlotted() throws IOException {
    for (MetricsSink sink : List.of(new JsonlMetricsSink(), new CsvMetricsSink())) {
      try (MetricsSink.Writer w = sink.open(run, false)) {
        for (long s = 10; s <= 300; s += 10) {
          w.write(record(s));
        }
      }
    }
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(30);
    List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
    assertThat(csv.get(0)).startsWith("step,stage,stage_step,stage_steps,epoch,loss,loss_video,loss_image,acc_video,acc_image,lr,grad_norm");
    assertThat(csv).hasSize(31);
    assertThat(csv.get(1)).startsWith("10,joint,,,,8.9,4.56,");
    // a torn last line (killed mid-write) is ignored when reading back
    Files.writeString(run.resolve("metrics.jsonl"), "{\"step\": 310, \"lo", java.nio.file.StandardOpenOption.APPEND);
    assertThat(MetricsHistory.read(run)).hasSize(30);
    // resume from a checkpoint at step 200: later records go, appending continues after it
    MetricsHistory.truncateAfter(run, 200);
    assertThat(MetricsHistory.read(run)).hasSize(20);
    assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(21);
    try (MetricsSink.Writer w = new JsonlMetricsSink().open(run, true)) {
      w.write(record(210));
    }
    List<Map<String, Object>> all = MetricsHistory.read(run);
    assertThat(all).hasSize(21);
    assertThat(all.get(20).get("step")).isEqualTo(210L);
    assertThat(all.get(0).get("step")).isEqualTo(10L);

    List<Path> pngs = TrainingPlots.render(run);
    assertThat(pngs).extracting(p -> p.getFileName().toString()).containsExactly("loss.png", "accuracy.png", "lr.png");
    for (Path p : pngs) {
      BufferedImage img = ImageIO.read(p.toFile());
      assertThat(img.getWidth()).isEqualTo(900);
      assertThat(img.getHeight()).isEqualTo(520);
    }
  }

  @Test
  void noMetricsNoPlots() throws IOException {
    assertThat(TrainingPlots.render(run)).isEmpty();
  }
}
