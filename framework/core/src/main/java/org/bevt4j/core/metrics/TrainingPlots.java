package org.bevt4j.core.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

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
    XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(factor == 100.0 ? Styler.LegendPosition.InsideSE : Styler.LegendPosition.InsideNE);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setPlotGridLinesVisible(true);
    chart.getStyler().setYAxisDecimalPattern(yPattern);
    chart.getStyler().setXAxisDecimalPattern("#,##0");
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
    try {
      try (OutputStream os = Files.newOutputStream(tmp)) {
        BitmapEncoder.saveBitmap(chart, os, BitmapEncoder.BitmapFormat.PNG);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    out.add(file);
  }
}
