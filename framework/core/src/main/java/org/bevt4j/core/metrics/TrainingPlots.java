package org.bevt4j.core.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a run's {@code metrics.jsonl} as PNG charts (XChart, headless) in {@code <run>/plots/}:
 * {@code loss.png} (total and per stream), {@code accuracy.png} (masked-token accuracy per stream,
 * %) and {@code lr.png}, all against the global optimizer step. Called at the end of a run; the
 * CLI can call {@link #render(Path)} on demand.
 */
public final class TrainingPlots {
  public static final String DIR = "plots";

  private TrainingPlots() {}

  /** Renders the charts that have data; returns the files written. */
  public static List<Path> render(Path runDir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<Map<String, Object>> records = MetricsHistory.read(runDir);
    List<Path> out = new ArrayList<>();
    if (records.isEmpty()) {
      return out;
    }
    Path dir = runDir.resolve(DIR);
    Files.createDirectories(dir);
    chart(records, dir.resolve("loss.png"), "Masked-token loss", "cross-entropy", 1.0, "#,##0.###",
        new String[] {"loss", "loss_video", "loss_image"}, new String[] {"total", "video (MVM)", "image (MIM)"}, out);
    chart(records, dir.resolve("accuracy.png"), "Masked-token accuracy", "accuracy (%)", 100.0, "#,##0.##",
        new String[] {"acc_video", "acc_image"}, new String[] {"video", "image"}, out);
    chart(records, dir.resolve("lr.png"), "Learning rate", "lr", 1.0, "0.0##E0", new String[] {"lr"}, new String[] {"lr"}, out);
    return out;
  }

  private static void chart(
      List<Map<String, Object>> records,
      Path file,
      String title,
      String yTitle,
      double factor,
      String yPattern,
      String[] keys,
      String[] labels,
      List<Path> out)
      throws IOException {
    if (MetricChart.write(records, file, title, yTitle, factor, yPattern, factor == 100.0, keys, labels)) {
      out.add(file);
    }
  }
}
