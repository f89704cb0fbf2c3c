package org.bevt4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.cli.logging.LogFiles;
import org.bevt4j.cli.progress.Progress;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.eval.ClassificationMetrics;
import org.bevt4j.core.finetune.EvalResult;
import org.bevt4j.core.finetune.FinetuneJob;
import org.bevt4j.core.finetune.FinetuneResult;
import org.bevt4j.core.finetune.FinetuneSettings;
import org.bevt4j.core.finetune.ProgressFinetuneListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bevt4j finetune}: downstream action classification from pretrained weights, with
 * multi-view top-1/top-5. Settings live under {@code bevt.finetune}; the run directory is
 * {@code bevt.finetune.run.dir} (which {@code --run-dir} / {@code --resume} set), so a pretraining
 * run's checkpoints are never touched.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true, description = "Downstream action classification from pretrained weights, with top-1/top-5.")
public final class FinetuneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Mixin RunOptions run;

  @Option(
      names = "--weights",
      paramLabel = "PATH",
      description = "Pretrained backbone: a pretraining run dir / checkpoint dir, a .safetensors file or a PyTorch checkpoint (sets bevt.finetune.init-from).")
  Path weights;

  @Option(names = "--dry-run", description = "Validate the configuration, print the plan and stop.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (BevtRuntime rt = Runtimes.open(spec, config, sets())) {
      FinetuneSettings s = FinetuneJob.settings(rt);
      FinetuneJob.validate(rt, s);
      if (dryRun) {
        out.println("run dir: " + s.run().dir());
        out.println("backbone: " + rt.config().getString("bevt.model.backbone.type")
            + (s.initFrom() == null ? "" : ", initialised from " + s.initFrom()));
        out.println(String.format(Locale.ROOT, "train: %s (%s), %d per micro-batch x accumulate %d, %s",
            s.trainData().getString("type"), s.stream().configName(), s.batchSize(), s.accumulate(),
            s.steps() > 0 ? s.steps() + " steps" : s.epochs() + " epochs"));
        out.println(String.format(Locale.ROOT, "validation: %s, %d clips x %d crops%s", s.valSplit() > 0
            ? "held-out " + s.valSplit() + " of train" : s.valData().getString("type"), s.testClips(), s.testCrops(),
            s.evalEvery() > 0 ? ", every " + s.evalEvery() + " steps" : ", at the end"));
        out.println(String.format(Locale.ROOT, "optimizer: AdamW lr %.3g, weight decay %.3g, layer decay %.3g, label smoothing %.3g",
            s.optimizer().lr(), s.optimizer().weightDecay(), s.optimizer().layerDecay(), s.labelSmoothing()));
        out.flush();
        return ExitCodes.OK;
      }
      Path dir = FinetuneJob.prepareRunDir(rt, s);
      try (LogFiles.Attached log = LogFiles.attach(dir)) {
        FinetuneResult r = FinetuneJob.run(rt, s, List.of(new ProgressFinetuneListener(Progress.forEnvironment())));
        print(out, r, dir);
      }
      return ExitCodes.OK;
    }
  }

  /** The --set assignments of --run-dir, --resume and --weights (the fine-tuning run's keys). */
  private List<String> sets() {
    List<String> out = new ArrayList<>();
    if (run != null && run.runDir != null) {
      out.add("bevt.finetune.run.dir=" + quote(run.runDir.toAbsolutePath().normalize().toString()));
    }
    if (run != null && run.resume != null) {
      out.add("bevt.finetune.run.resume=" + quote(run.resume));
    }
    if (weights != null) {
      out.add("bevt.finetune.init-from=" + quote(weights.toAbsolutePath().normalize().toString()));
    }
    return out;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static void print(PrintWriter out, FinetuneResult r, Path dir) {
    if (r.status() != FinetuneResult.Status.COMPLETED) {
      out.println(String.format(Locale.ROOT, "fine-tuning stopped at step %d of %d (checkpoint written); run dir %s%s", r.step(), r.totalSteps(), dir,
          r.lastCheckpoint() == null ? "" : "; resume with --resume auto"));
      out.flush();
      return;
    }
    EvalResult e = r.finalEval();
    ClassificationMetrics m = e.metrics();
    out.println(String.format(Locale.ROOT, "fine-tuning completed after %d steps; run dir %s", r.step(), dir));
    out.println();
    String rule = "+----------------------+----------------+";
    out.println(rule);
    out.println(String.format(Locale.ROOT, "| %-20s | %14s |", "metric", "value"));
    out.println(rule);
    out.println(row("val top-1", pct(m.top1())));
    out.println(row("val top-5", pct(m.top5())));
    out.println(row("mean class accuracy", pct(m.meanClassAccuracy())));
    out.println(row("val loss", String.format(Locale.ROOT, "%.4f", e.loss())));
    out.println(row("videos x views", m.count() + " x " + e.views()));
    if (r.lastTrain() != null) {
      out.println(row("final train loss", String.format(Locale.ROOT, "%.4f", r.lastTrain().loss())));
    }
    out.println(row("classes", Integer.toString(m.numClasses())));
    out.println(rule);
    out.println("per-class accuracy:");
    for (String line : m.perClassReport(e.classes())) {
      out.println("  " + line);
    }
    out.println("report " + r.report() + "; plots in " + dir.resolve("plots"));
    out.flush();
  }

  private static String row(String k, String v) {
    return String.format(Locale.ROOT, "| %-20s | %14s |", k, v);
  }

  private static String pct(double d) {
    return String.format(Locale.ROOT, "%.2f %%", 100 * d);
  }
}
