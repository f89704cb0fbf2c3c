package org.bevt4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.cli.logging.LogFiles;
import org.bevt4j.cli.progress.Progress;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.tokenizer.TokenizerTrainingJob;
import org.bevt4j.core.tokenizer.TokenizerTrainingResult;
import org.bevt4j.core.tokenizer.TokenizerTrainingSettings;
import org.bevt4j.core.tokenizer.TrainingPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bevt4j train-tokenizer --type peco|dalle [--preset tiny]}: trains a tokenizer on frames of
 * the configured data ({@code bevt.tokenizer-training}; the type's settings in its plugin's
 * {@code bevt.model.tokenizer.<type>.training}) and writes a weights file the tokenizer plugin loads,
 * {@code tokenizer.conf}, reconstructions and codebook plots into the run directory. A finished run
 * with the same config hash is reused; an interrupted one resumes ({@code --resume auto}).
 */
@Command(
    name = "train-tokenizer",
    mixinStandardHelpOptions = true,
    description = "Train your own tokenizer on the configured data (PeCo objective or DALL-E dVAE); writes a weights file the "
        + "tokenizer plugin loads, tokenizer.conf, reconstructions and codebook plots.")
public final class TrainTokenizerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--type", paramLabel = "TYPE", description = "Tokenizer type to train: peco or dalle (sets bevt.tokenizer-training.type).")
  String type;

  @Option(names = "--preset", paramLabel = "NAME", description = "Preset, e.g. tiny: a small tokenizer on synthetic frames in minutes (sets bevt.tokenizer-training.preset).")
  String preset;

  @Option(names = "--run-dir", paramLabel = "DIR", description = "Run directory (sets bevt.tokenizer-training.dir; default <parent of bevt.run.dir>/tokenizer-<type>[-<preset>]).")
  Path runDir;

  @Option(names = "--resume", paramLabel = "auto|none", description = "auto: continue an interrupted run from its latest checkpoint (the default); none: start over (sets bevt.tokenizer-training.resume).")
  String resume;

  @Option(names = "--dry-run", description = "Validate the configuration, print the plan and stop.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (BevtRuntime rt = Runtimes.open(spec, config, sets())) {
      rt.validate();
      TrainingPlan plan = TokenizerTrainingJob.plan(rt);
      TokenizerTrainingSettings s = plan.settings();
      if (dryRun) {
        out.println("run dir: " + plan.runDir());
        out.println("type: " + s.type() + (s.preset() == null ? "" : ", preset " + s.preset()) + ", perceptual network: "
            + (s.perceptualNetwork() == null ? "none" : s.perceptualNetwork()));
        out.println(String.format(Locale.ROOT, "training: %d steps x %d frames (%s stream), AdamW lr %.3g, seed %d",
            s.steps(), s.batchSize(), s.data().stream(), s.lr(), s.seed()));
        out.println("config hash: " + plan.hash());
        out.flush();
        return ExitCodes.OK;
      }
      Files.createDirectories(plan.runDir());
      try (LogFiles.Attached log = LogFiles.attach(plan.runDir())) {
        TokenizerTrainingResult r = TokenizerTrainingJob.run(rt, Progress.forEnvironment());
        print(out, r);
      }
      return ExitCodes.OK;
    }
  }

  /** The --set assignments of --type, --preset, --run-dir and --resume. */
  private List<String> sets() {
    List<String> out = new ArrayList<>();
    if (type != null) {
      out.add("bevt.tokenizer-training.type=" + Components.quote(type));
    }
    if (preset != null) {
      out.add("bevt.tokenizer-training.preset=" + Components.quote(preset));
    }
    if (runDir != null) {
      out.add("bevt.tokenizer-training.dir=" + Components.quote(runDir.toAbsolutePath().normalize().toString()));
    }
    if (resume != null) {
      out.add("bevt.tokenizer-training.resume=" + Components.quote(resume));
    }
    return out;
  }

  static void print(PrintWriter out, TokenizerTrainingResult r) {
    Map<String, Object> s = r.summary();
    out.println(r.cached()
        ? "reused the trained " + s.get("type") + " tokenizer in " + r.runDir() + " (same config hash)"
        : String.format(Locale.ROOT, "trained a %s tokenizer: %d steps in %.1f s; run dir %s", s.get("type"), r.steps(), r.seconds(), r.runDir()));
    out.println(String.format(Locale.ROOT, "eval: PSNR %.2f dB (frames replaced by their mean colour: %.2f dB), codebook usage %.1f %%, perplexity %.1f of %d",
        num(s.get("psnr")), num(s.get("mean-colour-psnr")), 100 * num(s.get("usage")), num(s.get("perplexity")), (long) num(s.get("vocab-size"))));
    if (s.get("untrained") instanceof Map<?, ?> u) {
      out.println(String.format(Locale.ROOT, "untrained initialisation: PSNR %.2f dB, codebook usage %.1f %%, perplexity %.1f (see comparison.md)",
          num(u.get("psnr")), 100 * num(u.get("usage")), num(u.get("perplexity"))));
    }
    out.println("weights: " + r.weights());
    out.println("use it: include file(\"" + r.tokenizerConf() + "\")  (or bevt.model.tokenizer." + s.get("type") + ".weights)");
    out.flush();
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
