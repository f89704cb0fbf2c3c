package org.bevt4j.core.finetune;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bevt4j.core.metrics.MetricsHistory;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

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
    XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setPlotGridLinesVisible(true);
    boolean any = false;
    for (int k = 0; k < keys.length; k++) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (Map<String, Object> r : records) {
        if (r.get(keys[k]) instanceof Number y && r.get("step") instanceof Number x && Double.isFinite(y.doubleValue())) {
          xs.add(x.doubleValue());
          ys.add(y.doubleValue() * factor);
        }
      }
      if (!xs.isEmpty()) {
        XYSeries s = chart.addSeries(labels[k], xs, ys);
        s.setMarker(xs.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        any = true;
      }
    }
    if (!any) {
      return;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp)) {
      BitmapEncoder.saveBitmap(chart, os, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    out.add(file);
  }
}
