package org.bevt4j.core.viz;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * A grouped bar chart (XChart, PNG): one group per measure, one bar per series (e.g. per tokenizer),
 * all measures on a common 0..1 scale with the value printed on each bar.
 *
 * <pre>{@code
 * ComparisonChart.write(Path.of("plots/comparison.png"), "Tokenizers", List.of("usage", "flip"),
 *     Map.of("dalle", List.of(0.41, 0.77), "peco", List.of(0.63, 0.70)));
 * }</pre>
 */
public final class ComparisonChart {
  private static final Color[] COLORS = {
    new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
    new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127)
  };

  private ComparisonChart() {}

  /**
   * Writes the chart.
   *
   * @param measures the category labels (x axis groups)
   * @param series series name to one value in [0, 1] per measure (NaN values are drawn as 0)
   */
  public static void write(Path png, String title, List<String> measures, Map<String, List<Double>> series)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    int width = Math.max(900, 140 * measures.size() + 40 * measures.size() * series.size());
    CategoryChart chart = new CategoryChartBuilder().width(width).height(560).title(title)
        .xAxisTitle("measure").yAxisTitle("value (0 = worst, 1 = best)").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setSeriesColors(COLORS);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.1);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    // values printed just above each bar, so short bars stay readable
    chart.getStyler().setLabelsPosition(1.02);
    chart.getStyler().setLabelsRotation(0);
    chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
    chart.getStyler().setLabelsFontColor(Color.BLACK);
    chart.getStyler().setDecimalPattern("0.00");
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    for (Map.Entry<String, List<Double>> e : series.entrySet()) {
      if (e.getValue().size() != measures.size()) {
        throw new IllegalArgumentException("series " + e.getKey() + " has " + e.getValue().size()
            + " values for " + measures.size() + " measures");
      }
      List<Double> v = e.getValue().stream().map(d -> d == null || d.isNaN() ? 0.0 : Math.max(0, Math.min(1, d))).toList();
      chart.addSeries(e.getKey(), measures, v);
    }
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
