package org.bevt4j.core.quickstart;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** Writes the quickstart's comparison: a text table, {@code report.md}, {@code quickstart.json} and {@code plots/probe.png}. */
public final class QuickstartReport {
  private QuickstartReport() {}

  /** A fixed-width table for the terminal. */
  public static String table(List<ProbeOutcome> rows, int classes) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-12s %10s %8s %8s %10s%n", "backbone", "pretrain", "top-1", "top-5", "mean-class"));
    for (ProbeOutcome r : rows) {
      sb.append(String.format(Locale.ROOT, "%-12s %10s %7.1f%% %7.1f%% %9.1f%%%n",
          r.variant(), r.pretrainSteps() == 0 ? "-" : r.pretrainSteps() + " steps", 100 * r.top1(), 100 * r.top5(), 100 * r.meanClassAccuracy()));
    }
    sb.append(String.format(Locale.ROOT, "(linear probe on frozen features; %d motion-defined classes, chance %.1f%%)%n", classes, 100.0 / classes));
    return sb.toString();
  }

  /** Writes report.md, quickstart.json and plots/probe.png into {@code dir}. */
  public static void write(Path dir, List<ProbeOutcome> rows, int classes, Map<String, Object> extra) throws IOException {
    Files.createDirectories(dir.resolve("plots"));
    StringBuilder md = new StringBuilder("# bevt4j quickstart\n\n");
    md.append("Linear probe (frozen backbone, pooled features) on fresh synthetic clips whose ").append(classes)
        .append(" classes are defined by motion (direction, speed, rotation sense, static). Chance: ")
        .append(String.format(Locale.ROOT, "%.1f%%", 100.0 / classes)).append(".");
    if (extra.get("probe_pooling") != null) {
      md.append(" Pooling of the final feature map: `").append(extra.get("probe_pooling")).append("`.");
    }
    md.append("\n\n");
    md.append("| backbone | pretraining | top-1 | top-5 | mean class acc |\n|---|---:|---:|---:|---:|\n");
    for (ProbeOutcome r : rows) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %.1f%% | %.1f%% | %.1f%% |%n", r.variant(),
          r.pretrainSteps() == 0 ? "none" : r.pretrainSteps() + " steps", 100 * r.top1(), 100 * r.top5(), 100 * r.meanClassAccuracy()));
    }
    if (extra.get("tokenizer") instanceof Map<?, ?> t) {
      md.append(String.format(Locale.ROOT, "%nTargets: tokens of the %s tokenizer trained in `tokenizer/` (%s): reconstruction PSNR %.2f dB, "
          + "codebook usage %.1f%%, perplexity %.1f of %s codes (`tokenizer/comparison.md`: trained vs untrained).%n",
          t.get("type"), t.get("preset") == null ? "no preset" : "preset " + t.get("preset"), num(t.get("psnr")), 100 * num(t.get("usage")),
          num(t.get("perplexity")), t.get("vocab-size")));
    }
    md.append("\nPlots: `plots/probe.png` (this comparison), `joint/plots/*.png` and `image-only/plots/*.png` (pretraining curves), `plots/confusion-joint.png`.\n");
    Files.writeString(dir.resolve("report.md"), md.toString(), StandardCharsets.UTF_8);
    Map<String, Object> json = new LinkedHashMap<>(extra);
    json.put("classes", classes);
    json.put("results", rows);
    Files.writeString(dir.resolve("quickstart.json"), new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(json), StandardCharsets.UTF_8);
    chart(dir.resolve("plots").resolve("probe.png"), rows, classes);
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static void chart(Path png, List<ProbeOutcome> rows, int classes) throws IOException {
    System.setProperty("java.awt.headless", "true");
    CategoryChart c = new CategoryChartBuilder().width(800).height(500)
        .title("Linear probe on motion-defined classes (chance " + String.format(Locale.ROOT, "%.1f%%", 100.0 / classes) + ")")
        .xAxisTitle("backbone").yAxisTitle("validation accuracy (%)").build();
    List<String> names = new ArrayList<>();
    List<Double> top1 = new ArrayList<>();
    List<Double> top5 = new ArrayList<>();
    for (ProbeOutcome r : rows) {
      names.add(r.variant());
      top1.add(100 * r.top1());
      top5.add(100 * r.top5());
    }
    c.addSeries("top-1", names, top1);
    c.addSeries("top-5", names, top5);
    c.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
    c.getStyler().setLabelsVisible(true);
    BitmapEncoder.saveBitmap(c, png.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
  }
}
