package org.bevt4j.cli.tokens;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bevt4j.core.eval.TokenizerComparison;
import org.bevt4j.core.viz.ComparisonChart;

/**
 * Writes a tokenizer comparison: {@code report.md} (tables, explanations, links to the pictures),
 * {@code report.txt} (the table as plain text), {@code comparison.json} (every number) and
 * {@code plots/comparison.png} (a grouped bar chart of the 0..1 measures).
 */
public final class ComparisonReport {
  public static final String MARKDOWN = "report.md";
  public static final String TEXT = "report.txt";
  public static final String JSON = "comparison.json";
  public static final String CHART = "plots/comparison.png";

  /** Chart groups, in order. */
  public static final List<String> MEASURES =
      List.of("codebook usage", "perplexity / max", "stable: 1-token shift", "stable: sub-token shift", "stable: flip",
          "stable: brightness");

  private ComparisonReport() {}

  /** One compared tokenizer. */
  public record Entry(String name, String type, String weights, int inputSize) {}

  /**
   * Writes all report files into {@code out}.
   *
   * @param maps the token-map PNGs written (relative to {@code out}), listed in the markdown
   */
  public static void write(Path out, List<Entry> entries, TokenizerComparison.Report report, ComparisonFrames frames, List<String> maps)
      throws IOException {
    Files.createDirectories(out);
    Map<String, List<Double>> series = new LinkedHashMap<>();
    for (TokenizerComparison.Row r : report.rows()) {
      series.put(r.name(), List.of(r.usage(), normalisedPerplexity(r, frames.count()), r.shiftStability(),
          r.subTokenShiftStability(), r.flipStability(), r.brightnessStability()));
    }
    ComparisonChart.write(out.resolve(CHART), "Tokenizer comparison (" + frames.count() + " frames)", MEASURES, series);
    Files.writeString(out.resolve(TEXT), text(report, frames));
    Files.writeString(out.resolve(MARKDOWN), markdown(entries, report, frames, maps));
    Files.writeString(out.resolve(JSON),
        new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(json(entries, report, frames)) + "\n");
  }

  /**
   * Perplexity divided by its largest possible value for these frames: the vocabulary size, or the
   * number of token positions when that is smaller.
   */
  public static double normalisedPerplexity(TokenizerComparison.Row r, int frames) {
    String[] g = r.grid().split("x");
    long positions = (long) frames * Long.parseLong(g[0]) * Long.parseLong(g[1]);
    return r.perplexity() / Math.max(1, Math.min(r.vocab(), positions));
  }

  /** The table as aligned plain text. */
  public static String text(TokenizerComparison.Report report, ComparisonFrames frames) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"tokenizer", "vocab", "grid", "usage", "perplexity", "ppl/max", "shift", "sub-shift", "flip", "bright", "I(id;label)"});
    for (TokenizerComparison.Row r : report.rows()) {
      rows.add(new String[] {r.name(), String.valueOf(r.vocab()), r.grid(), pct(r.usage()), f1(r.perplexity()),
          f3(normalisedPerplexity(r, frames.count())), f3(r.shiftStability()), f3(r.subTokenShiftStability()),
          f3(r.flipStability()), f3(r.brightnessStability()),
          Double.isNaN(r.labelMutualInformation()) ? "n/a" : f3(r.labelMutualInformation())});
    }
    int[] w = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder("Tokenizer comparison on " + frames.description() + "\n\n");
    for (int k = 0; k < rows.size(); k++) {
      String[] r = rows.get(k);
      for (int i = 0; i < r.length; i++) {
        sb.append(i == 0 ? String.format("%-" + w[i] + "s", r[i]) : String.format("  %" + w[i] + "s", r[i]));
      }
      sb.append('\n');
      if (k == 0) {
        int total = 0;
        for (int x : w) {
          total += x + 2;
        }
        sb.append("-".repeat(total - 2)).append('\n');
      }
    }
    if (report.rows().size() > 1) {
      sb.append("\npairwise agreement (normalised mutual information of ids at the same positions):\n");
      for (int i = 0; i < report.rows().size(); i++) {
        sb.append(String.format("%-" + w[0] + "s", report.rows().get(i).name()));
        for (double v : report.pairwiseNmi()[i]) {
          sb.append(String.format(Locale.ROOT, "  %.3f", v));
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  private static String markdown(List<Entry> entries, TokenizerComparison.Report report, ComparisonFrames frames, List<String> maps) {
    StringBuilder sb = new StringBuilder("# Tokenizer comparison\n\n");
    sb.append("Frames: ").append(frames.description()).append(".\n\n");
    sb.append("| name | type | input | weights |\n|---|---|---:|---|\n");
    for (Entry e : entries) {
      sb.append("| ").append(e.name()).append(" | ").append(e.type()).append(" | ").append(e.inputSize()).append('x')
          .append(e.inputSize()).append(" | ").append(e.weights() == null ? "(configured)" : "`" + e.weights() + "`").append(" |\n");
    }
    sb.append("\n## Results\n\n").append(report.markdown()).append('\n');
    sb.append("""
        How to read it:
        - **codebook usage**: share of the vocabulary that occurs at least once; **perplexity**: 2^entropy of the
          id distribution, the effective number of codes in use (`ppl / max` in the chart divides it by the
          vocabulary size or the number of token positions, whichever is smaller).
        - **stable**: share of token positions whose id is unchanged when the frame is shifted by one token, by a
          quarter of a token, flipped horizontally (compared at the mirrored position) or made 5% brighter.
          Higher means the targets depend on content rather than on exact pixel positions or lighting.
        - **I(id; label)**: mutual information in bits between a token's id and its frame's class (needs labels).
        - **pairwise agreement**: normalised mutual information between two tokenizers' ids at the same positions
          (1 = they partition the patches the same way), after resampling to the coarser grid.

        """);
    sb.append("![comparison](").append(CHART).append(")\n\n");
    if (!maps.isEmpty()) {
      sb.append("## Token maps\n\nEach row: the input, then every tokenizer's ids (one colour per id).\n\n");
      for (String m : maps) {
        sb.append("![").append(m).append("](").append(m).append(")\n\n");
      }
    }
    return sb.toString();
  }

  private static Map<String, Object> json(List<Entry> entries, TokenizerComparison.Report report, ComparisonFrames frames) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("frames", frames.count());
    root.put("frame_size", frames.size());
    root.put("labelled", frames.labels() != null);
    root.put("source", frames.description());
    List<Object> toks = new ArrayList<>();
    for (int i = 0; i < report.rows().size(); i++) {
      TokenizerComparison.Row r = report.rows().get(i);
      Entry e = entries.get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("type", e.type());
      m.put("weights", e.weights());
      m.put("input_size", e.inputSize());
      m.put("vocab_size", r.vocab());
      m.put("grid", r.grid());
      m.put("codebook_usage", r.usage());
      m.put("perplexity", r.perplexity());
      m.put("perplexity_normalised", normalisedPerplexity(r, frames.count()));
      m.put("shift_stability", r.shiftStability());
      m.put("sub_token_shift_stability", r.subTokenShiftStability());
      m.put("flip_stability", r.flipStability());
      m.put("brightness_stability", r.brightnessStability());
      m.put("label_mutual_information_bits", Double.isNaN(r.labelMutualInformation()) ? null : r.labelMutualInformation());
      toks.add(m);
    }
    root.put("tokenizers", toks);
    root.put("pairwise_nmi", report.pairwiseNmi());
    return root;
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  private static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
