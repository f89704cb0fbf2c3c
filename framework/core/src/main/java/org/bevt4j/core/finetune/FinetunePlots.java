package org.bevt4j.core.finetune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bevt4j.core.metrics.MetricChart;
import org.bevt4j.core.metrics.MetricsHistory;

/**
 * Renders a fine-tuning run's {@code metrics.jsonl} as PNG charts (XChart, headless) in
 * {@code <run>/plots/}: {@code loss.png} (training loss, validation loss), {@code accuracy.png}
 * (training batch top-1, validation top-1 and top-5, %) and {@code lr.png}, against the optimizer
 * step. The confusion matrix ({@code confusion.png}) is written by {@link FinetuneReport}.
 */
public final class FinetunePlots {
  public static final String DIR = "plots";

  private FinetunePlots() {}

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
    chart(records, dir.resolve("loss.png"), "Fine-tuning loss", "cross-entropy", 1.0,
        new String[] {"loss", "val_loss"}, new String[] {"train (label-smoothed)", "validation (view-averaged)"}, out);
    chart(records, dir.resolve("accuracy.png"), "Fine-tuning accuracy", "accuracy (%)", 100.0,
        new String[] {"acc", "val_top1", "val_top5"}, new String[] {"train top-1 (batches)", "validation top-1", "validation top-5"}, out);
    chart(records, dir.resolve("lr.png"), "Learning rate (top layer)", "lr", 1.0, new String[] {"lr"}, new String[] {"lr"}, out);
    return out;
  }

  private static void chart(
      List<Map<String, Object>> records, Path file, String title, String yTitle, double factor, String[] keys, String[] labels, List<Path> out)
      throws IOException {
    if (MetricChart.write(records, file, title, yTitle, factor, null, false, keys, labels)) {
      out.add(file);
    }
  }
}
