package org.bevt4j.cli.commands;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bevt4j.api.Settings;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.cli.UsageException;
import org.bevt4j.cli.progress.Progress;
import org.bevt4j.cli.tokens.ComparisonFrames;
import org.bevt4j.cli.tokens.ComparisonReport;
import org.bevt4j.cli.tokens.MediaInputs;
import org.bevt4j.cli.tokens.TokenizerExperiment;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.eval.TokenizerComparison;
import org.bevt4j.core.viz.TokenMapRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bevt4j compare-tokenizers}: a side-by-side report of several tokenizers on the same input. */
@Command(
    name = "compare-tokenizers",
    mixinStandardHelpOptions = true,
    description = {
      "Side-by-side comparison report of tokenizers on the same images or frames: codebook usage, perplexity,",
      "stability under shifts, flips and brightness, agreement between tokenizers, information about labels.",
      "Writes report.md, report.txt, comparison.json, plots/comparison.png and maps/frame_NNN.png.",
      "Example: compare-tokenizers --tokenizer dalle=dalle:encoder.safetensors --tokenizer peco=peco:vq.safetensors \\",
      "           --dataset --samples 128 --output runs/tokens"
    })
public final class CompareTokenizersCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--tokenizer", paramLabel = "NAME=TYPE[:WEIGHTS]",
      description = "A tokenizer to compare (repeatable): its name in the report, its type, and optionally a weights file "
          + "replacing bevt.model.tokenizer.<type>.weights; its other settings come from the configuration.")
  List<String> tokenizers = new ArrayList<>();

  @Option(names = "--types", paramLabel = "NAME", split = ",", description = "Tokenizer types to compare with their configured settings (default: all installed).")
  List<String> types;

  @Option(names = "--input", paramLabel = "PATH", description = "An image, a video or a folder of them.")
  Path input;

  @Option(names = "--dataset", description = "Use samples of the configured bevt.data.image dataset (with its labels) instead of --input.")
  boolean dataset;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "64", description = "Frames compared at most (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--frames", paramLabel = "N", defaultValue = "16", description = "Frames per video of --input, sampled uniformly (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--maps", paramLabel = "N", defaultValue = "4", description = "Token-map rows drawn for the first N frames (default: ${DEFAULT-VALUE}).")
  int maps;

  @Option(names = "--output", paramLabel = "DIR", required = true, description = "Where the report is written.")
  Path output;

  @Option(names = "--experiment",
      description = "Also pretrain the configured backbone with each tokenizer (bevt.train stages, in <output>/experiment/<name>) "
          + "and linear-probe it (bevt.eval.probe): experiment.md, experiment.json, plots/experiment.png.")
  boolean experiment;

  /** One requested tokenizer. */
  record Requested(String name, String type, Path weights) {}

  @Override
  public Integer call() throws Exception {
    if ((input == null) == !dataset) {
      throw new UsageException("give exactly one of --input PATH and --dataset");
    }
    if (samples < 1 || frames < 1 || maps < 0) {
      throw new UsageException("--samples and --frames must be >= 1 and --maps >= 0");
    }
    List<Requested> requested = parseSpecs();
    List<MediaInputs.Item> items = input == null ? null : MediaInputs.list(input);
    List<Requested> specs;
    try (BevtRuntime rt = Runtimes.openSeeded(spec, config, List.of());
        RuntimeBuildContext ctx = rt.newBuildContext()) {
      specs = requested != null ? requested : installed(rt);
      if (specs.size() < 2) {
        throw new UsageException("compare-tokenizers needs two or more tokenizers, found " + specs.size()
            + " (installed types: " + rt.registries().tokenizers().names() + "; use --tokenizer NAME=TYPE[:WEIGHTS])");
      }
      Map<String, Tokenizer> toks = new LinkedHashMap<>();
      List<ComparisonReport.Entry> entries = new ArrayList<>();
      int maxSize = 0;
      for (Requested s : specs) {
        Tokenizer t = Components.tokenizer(rt, ctx, s.type(), "--tokenizer " + s.name(), s.weights());
        toks.put(s.name(), t);
        entries.add(new ComparisonReport.Entry(s.name(), s.type(), s.weights() == null ? null : s.weights().toString(), t.inputSize()));
        maxSize = Math.max(maxSize, t.inputSize());
      }
      int order = Settings.of(rt.config(), "").sub("bevt.data.image").intIn("tokenizer-lanczos-order", 1, 8);
      ComparisonFrames fr = items != null
          ? ComparisonFrames.fromFiles(items, frames, samples, maxSize, order)
          : ComparisonFrames.fromDataset(rt, ctx, samples);
      TokenizerComparison.Report report;
      List<String> mapFiles = new ArrayList<>();
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray x = stack(ctx, fr);
        report = TokenizerComparison.compare(toks, x, fr.labels());
        mapFiles = drawMaps(toks, x, fr);
      }
      ComparisonReport.write(output, entries, report, fr, mapFiles);
      var out = spec.commandLine().getOut();
      out.print(ComparisonReport.text(report, fr));
      out.println();
      out.println("wrote " + output.resolve(ComparisonReport.MARKDOWN) + ", " + ComparisonReport.TEXT + ", " + ComparisonReport.JSON
          + ", " + ComparisonReport.CHART + (mapFiles.isEmpty() ? "" : " and " + mapFiles.size() + " token-map rows"));
      out.flush();
    }
    if (experiment) {
      runExperiment(specs);
    }
    return ExitCodes.OK;
  }

  private void runExperiment(List<Requested> specs) throws java.io.IOException {
    List<TokenizerExperiment.Arm> arms = specs.stream().map(s -> new TokenizerExperiment.Arm(s.name(), s.type(), s.weights())).toList();
    List<TokenizerExperiment.Outcome> outcomes =
        TokenizerExperiment.run(arms, output, sets -> Runtimes.open(spec, config, sets), Progress.forEnvironment());
    java.nio.file.Files.writeString(output.resolve(ComparisonReport.MARKDOWN),
        "\n## Pretraining experiment\n\nSee [" + TokenizerExperiment.MARKDOWN + "](" + TokenizerExperiment.MARKDOWN
            + "): the configured backbone pretrained with each tokenizer, then linear-probed.\n\n"
            + "![experiment](" + TokenizerExperiment.CHART + ")\n",
        java.nio.file.StandardOpenOption.APPEND);
    var out = spec.commandLine().getOut();
    out.println();
    out.print(TokenizerExperiment.table(outcomes));
    out.println("wrote " + output.resolve(TokenizerExperiment.MARKDOWN) + ", " + TokenizerExperiment.JSON + " and " + TokenizerExperiment.CHART);
    out.flush();
  }

  private List<Requested> parseSpecs() {
    if (!tokenizers.isEmpty() && types != null) {
      throw new UsageException("give either --tokenizer or --types, not both");
    }
    List<Requested> out = new ArrayList<>();
    for (String t : tokenizers) {
      int eq = t.indexOf('=');
      if (eq <= 0 || eq == t.length() - 1) {
        throw new UsageException("--tokenizer " + t + ": expected NAME=TYPE[:WEIGHTS], e.g. dalle=dalle:encoder.safetensors");
      }
      String name = t.substring(0, eq);
      String rest = t.substring(eq + 1);
      int colon = rest.indexOf(':');
      String type = colon < 0 ? rest : rest.substring(0, colon);
      Path w = colon < 0 ? null : Components.existing(Path.of(rest.substring(colon + 1)), "--tokenizer " + name + " weights");
      if (type.isEmpty()) {
        throw new UsageException("--tokenizer " + t + ": the type is empty");
      }
      if (out.stream().anyMatch(s -> s.name().equals(name))) {
        throw new UsageException("--tokenizer: the name " + name + " is used twice");
      }
      out.add(new Requested(name, type, w));
    }
    if (types != null) {
      for (String t : types) {
        if (out.stream().anyMatch(s -> s.name().equals(t))) {
          throw new UsageException("--types: " + t + " is listed twice");
        }
        out.add(new Requested(t, t, null));
      }
    }
    return out.isEmpty() ? null : out;
  }

  private static List<Requested> installed(BevtRuntime rt) {
    return rt.registries().tokenizers().names().stream().sorted().map(n -> new Requested(n, n, null)).toList();
  }

  private static NDArray stack(RuntimeBuildContext ctx, ComparisonFrames fr) {
    int per = 3 * fr.size() * fr.size();
    float[] all = new float[fr.count() * per];
    for (int i = 0; i < fr.count(); i++) {
      System.arraycopy(fr.rgb().get(i), 0, all, i * per, per);
    }
    return ctx.manager().create(all, new Shape(fr.count(), 3, fr.size(), fr.size()));
  }

  private List<String> drawMaps(Map<String, Tokenizer> toks, NDArray x, ComparisonFrames fr) {
    int n = Math.min(maps, fr.count());
    if (n == 0) {
      return List.of();
    }
    NDArray first = x.get("0:" + n);
    Map<String, long[]> ids = new LinkedHashMap<>();
    for (Map.Entry<String, Tokenizer> e : toks.entrySet()) {
      int s = e.getValue().inputSize();
      ids.put(e.getKey(), e.getValue().encode(TokenizerComparison.resize(first, s)).toType(DataType.INT64, false).toLongArray());
    }
    List<String> files = new ArrayList<>();
    for (int f = 0; f < n; f++) {
      List<TokenMapRow.Panel> panels = new ArrayList<>();
      for (Map.Entry<String, Tokenizer> e : toks.entrySet()) {
        Tokenizer t = e.getValue();
        TokenGrid g = t.grid(t.inputSize(), t.inputSize());
        long[] one = java.util.Arrays.copyOfRange(ids.get(e.getKey()), f * g.plane(), (f + 1) * g.plane());
        panels.add(new TokenMapRow.Panel(e.getKey(), one, g.h(), g.w(), t.vocabSize()));
      }
      String rel = String.format(java.util.Locale.ROOT, "maps/frame_%03d.png", f);
      TokenMapRow.write(output.resolve(rel), fr.rgb().get(f), fr.size(), fr.size(), panels, Math.max(224, fr.size()));
      files.add(rel);
    }
    return files;
  }
}
