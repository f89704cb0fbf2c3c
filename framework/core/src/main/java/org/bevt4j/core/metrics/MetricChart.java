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
 * One PNG line chart of metrics records against their {@code step}: a series per key, values
 * multiplied by a factor (e.g. 100 for percentages), non-finite values skipped, markers only on short
 * series. Written atomically (temporary file, then move), headless.
 */
public final class MetricChart {
  private MetricChart() {}

  /**
   * Writes the chart when at least one key has data.
   *
   * @param yPattern decimal pattern of the y axis, or null for XChart's default
   * @param legendLowerRight legend inside the lower right corner (rising curves), else upper right
   * @return whether the file was written
   */
  public static boolean write(
      List<Map<String, Object>> records,
      Path file,
      String title,
      String yTitle,
      double factor,
      String yPattern,
      boolean legendLowerRight,
      String[] keys,
      String[] labels)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(legendLowerRight ? Styler.LegendPosition.InsideSE : Styler.LegendPosition.InsideNE);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setPlotGridLinesVisible(true);
    if (yPattern != null) {
      chart.getStyler().setYAxisDecimalPattern(yPattern);
    }
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
      return false;
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
    return true;
  }
}
