package org.bevt4j.core.tokenizer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a tokenizer-training run in {@code <run>/plots/} (XChart, headless):
 * {@code loss.png} (the total and every loss part, log scale), {@code codebook.png} (codebook usage
 * and perplexity as a percentage of the codebook, per logging window), {@code lr.png}, and
 * {@code codebook-histogram.png} (assignment counts per code, sorted, of the latest window).
 */
public final class TokenizerPlots {
  public static final String DIR = "plots";

  /** Record keys that are not loss parts. */
  static final List<String> NOT_LOSS = List.of("step", "lr", "grad_norm", "usage", "perplexity", "img_per_s", "elapsed_s",
      "tau", "kl_weight", "eta_s");

  private TokenizerPlots() {}

  /** Renders every chart that has data; returns the files written. */
  public static List<Path> render(Path runDir, List<Map<String, Object>> records, long[] lastCounts, int vocab) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<Path> out = new ArrayList<>();
    Path dir = runDir.resolve(DIR);
    Files.createDirectories(dir);
    if (!records.isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (Map<String, Object> r : records) {
        for (Map.Entry<String, Object> e : r.entrySet()) {
          if (e.getValue() instanceof Number && !NOT_LOSS.contains(e.getKey()) && !parts.contains(e.getKey())) {
            parts.add(e.getKey());
          }
        }
      }
      XYChart loss = chart("Tokenizer training loss", "loss (log scale)");
      loss.getStyler().setYAxisLogarithmic(true);
      for (String k : parts) {
        series(loss, records, k, k, 1.0, true);
      }
      save(loss, dir.resolve("loss.png"), out);
      XYChart cb = chart("Codebook use per logging window", "% of the codebook");
      series(cb, records, "usage", "codes used", 100.0, false);
      series(cb, records, "perplexity", "perplexity", 100.0 / vocab, false);
      save(cb, dir.resolve("codebook.png"), out);
      XYChart lr = chart("Learning rate", "lr");
      series(lr, records, "lr", "lr", 1.0, false);
      save(lr, dir.resolve("lr.png"), out);
      XYChart sched = chart("Schedules", "value");
      series(sched, records, "tau", "Gumbel temperature", 1.0, false);
      series(sched, records, "kl_weight", "KL weight", 1.0, false);
      save(sched, dir.resolve("schedules.png"), out);
    }
    if (lastCounts != null && Arrays.stream(lastCounts).sum() > 0) {
      long[] sorted = lastCounts.clone();
      Arrays.sort(sorted);
      double total = Arrays.stream(sorted).sum();
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < sorted.length; i++) {
        xs.add((double) i + 1);
        ys.add(100.0 * sorted[sorted.length - 1 - i] / total);
      }
      XYChart h = new XYChartBuilder().width(900).height(520).title("Codebook assignments (latest window), codes by rank")
          .xAxisTitle("code rank").yAxisTitle("% of assignments").build();
      h.getStyler().setLegendVisible(false);
      h.getStyler().setPlotGridLinesVisible(true);
      XYSeries s = h.addSeries("share", xs, ys);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
      s.setMarker(SeriesMarkers.NONE);
      save(h, dir.resolve("codebook-histogram.png"), out);
    }
    return out;
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart c = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    c.getStyler().setPlotGridLinesVisible(true);
    return c;
  }

  private static void series(XYChart c, List<Map<String, Object>> records, String key, String label, double factor, boolean positiveOnly) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (Map<String, Object> r : records) {
      if (r.get(key) instanceof Number y && r.get("step") instanceof Number x && Double.isFinite(y.doubleValue())
          && (!positiveOnly || y.doubleValue() > 0)) {
        xs.add(x.doubleValue());
        ys.add(y.doubleValue() * factor);
      }
    }
    if (!xs.isEmpty()) {
      c.addSeries(label, xs, ys).setMarker(xs.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    }
  }

  private static void save(XYChart c, Path file, List<Path> out) throws IOException {
    if (c.getSeriesCollection().isEmpty()) {
      return;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp)) {
      BitmapEncoder.saveBitmap(c, os, BitmapEncoder.BitmapFormat.PNG);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    out.add(file);
  }
}
