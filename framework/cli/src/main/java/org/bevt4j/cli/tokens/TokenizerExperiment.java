package org.bevt4j.cli.tokens;

import com.google.gson.GsonBuilder;
import com.typesafe.config.ConfigUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtException;
import org.bevt4j.cli.logging.LogFiles;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.ProgressListener;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.eval.ProbeOptions;
import org.bevt4j.core.eval.ProbeResult;
import org.bevt4j.core.eval.ProbeRunner;
import org.bevt4j.core.train.PretrainJob;
import org.bevt4j.core.train.PretrainResult;
import org.bevt4j.core.train.Pretrainer;
import org.bevt4j.core.train.ProgressTrainingListener;
import org.bevt4j.core.train.TrainSettings;
import org.bevt4j.core.viz.ComparisonChart;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;

/**
 * The downstream comparison of tokenizers: for each one, pretrain the configured backbone with that
 * tokenizer's targets (the configured stages, data and optimiser, in {@code <out>/experiment/<name>}),
 * then linear-probe the pretrained backbone ({@code bevt.eval.probe}). Everything but the tokenizer
 * is the same in every run, including the seed. Writes {@code experiment.json},
 * {@code experiment.md} and {@code plots/experiment.png} into the output folder.
 */
public final class TokenizerExperiment {
  public static final String DIR = "experiment";
  public static final String JSON = "experiment.json";
  public static final String MARKDOWN = "experiment.md";
  public static final String CHART = "plots/experiment.png";

  private TokenizerExperiment() {}

  /** A tokenizer to pretrain with: its report name, type and optional weights file. */
  public record Arm(String name, String type, Path weights) {}

  /** One arm's outcome: the run's last logged step metrics and the probe of its final backbone. */
  public record Outcome(Arm arm, Path runDir, long steps, double finalLoss, double videoAccuracy, double imageAccuracy, ProbeResult probe) {}

  /**
   * Runs every arm. {@code open} opens a runtime with extra {@code --set} assignments (the user's
   * configuration and options plus these).
   */
  public static List<Outcome> run(List<Arm> arms, Path out, Function<List<String>, BevtRuntime> open, ProgressListener progress)
      throws IOException {
    List<Outcome> outcomes = new ArrayList<>();
    for (Arm arm : arms) {
      outcomes.add(runArm(arm, out.resolve(DIR).resolve(arm.name().replaceAll("[^A-Za-z0-9._-]", "_")), open, progress));
    }
    write(out, outcomes);
    return outcomes;
  }

  private static Outcome runArm(Arm arm, Path runDir, Function<List<String>, BevtRuntime> open, ProgressListener progress)
      throws IOException {
    List<String> sets = new ArrayList<>();
    sets.add("bevt.model.tokenizer.type=" + ConfigUtil.quoteString(arm.type()));
    if (arm.weights() != null) {
      sets.add(ConfigUtil.joinPath("bevt", "model", "tokenizer", arm.type(), "weights") + "="
          + ConfigUtil.quoteString(arm.weights().toString()));
    }
    sets.add("bevt.run.dir=" + ConfigUtil.quoteString(runDir.toAbsolutePath().normalize().toString()));
    sets.add("bevt.run.resume=none");
    try (BevtRuntime rt = open.apply(sets)) {
      rt.validate();
      Path dir = rt.prepareRunDir();
      try (LogFiles.Attached log = LogFiles.attach(dir)) {
        PretrainResult pr = PretrainJob.run(rt, List.of(new ProgressTrainingListener(progress)));
        if (pr.lastCheckpoint() == null) {
          throw new BevtException("tokenizer " + arm.name() + ": pretraining wrote no checkpoint in " + dir);
        }
        StateDict trained = SafeTensors.read(pr.lastCheckpoint().resolve(Checkpoint.MODEL)).select("backbone.");
        try (RuntimeBuildContext ctx = rt.newBuildContext()) {
          Pretrainer.seedEngine(TrainSettings.from(rt.config()).seed());
          Backbone backbone = rt.buildBackbone(ctx);
          BindReport br = StateDictBinder.bind(backbone, trained, false, java.util.Set.of());
          if (!br.missing().isEmpty() || !br.mismatched().isEmpty()) {
            throw new BevtException("tokenizer " + arm.name() + ": the pretrained backbone in " + pr.lastCheckpoint()
                + " does not fit a freshly built one: " + br.describe());
          }
          ProbeResult probe = ProbeRunner.run(rt, ctx, backbone, ProbeOptions.from(rt.config()), dir.resolve("probe"), progress);
          double loss = pr.last() == null ? Double.NaN : pr.last().loss();
          double va = pr.last() == null ? Double.NaN : pr.last().videoAccuracy();
          double ia = pr.last() == null ? Double.NaN : pr.last().imageAccuracy();
          return new Outcome(arm, dir, pr.globalStep(), loss, va, ia, probe);
        }
      }
    }
  }

  /** The outcomes as a plain-text table. */
  public static String table(List<Outcome> outcomes) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-14s %-10s %6s %10s %9s %9s %8s %8s%n",
        "tokenizer", "type", "steps", "final loss", "acc video", "acc image", "top-1", "top-5"));
    for (Outcome o : outcomes) {
      sb.append(String.format(Locale.ROOT, "%-14s %-10s %6d %10.4f %9.3f %9.3f %7.1f%% %7.1f%%%n", o.arm().name(), o.arm().type(),
          o.steps(), o.finalLoss(), o.videoAccuracy(), o.imageAccuracy(), 100 * o.probe().top1(), 100 * o.probe().top5()));
    }
    return sb.toString();
  }

  private static void write(Path out, List<Outcome> outcomes) throws IOException {
    Files.createDirectories(out);
    Map<String, List<Double>> series = new LinkedHashMap<>();
    List<Object> rows = new ArrayList<>();
    StringBuilder md = new StringBuilder("# Tokenizer experiment: pretrain, then linear probe\n\n");
    md.append("The same backbone, data, stages, optimiser and seed for every tokenizer; only the targets differ.\n\n");
    md.append("| tokenizer | type | steps | final loss | mask acc. video | mask acc. image | probe top-1 | probe top-5 | run dir |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Outcome o : outcomes) {
      series.put(o.arm().name(), List.of(o.probe().top1(), o.probe().top5(), o.probe().metrics().meanClassAccuracy()));
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4f | %.3f | %.3f | %.1f%% | %.1f%% | `%s` |%n", o.arm().name(),
          o.arm().type(), o.steps(), o.finalLoss(), o.videoAccuracy(), o.imageAccuracy(), 100 * o.probe().top1(),
          100 * o.probe().top5(), out.toAbsolutePath().normalize().relativize(o.runDir().toAbsolutePath().normalize())));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", o.arm().name());
      m.put("type", o.arm().type());
      m.put("weights", o.arm().weights() == null ? null : o.arm().weights().toString());
      m.put("run_dir", o.runDir().toString());
      m.put("steps", o.steps());
      m.put("final_loss", finite(o.finalLoss()));
      m.put("mask_accuracy_video", finite(o.videoAccuracy()));
      m.put("mask_accuracy_image", finite(o.imageAccuracy()));
      m.put("probe", o.probe().toMap());
      rows.add(m);
    }
    ComparisonChart.write(out.resolve(CHART), "Linear probe after pretraining with each tokenizer",
        List.of("probe top-1", "probe top-5", "mean class accuracy"), series);
    md.append("\n![experiment](").append(CHART).append(")\n");
    Files.writeString(out.resolve(MARKDOWN), md.toString());
    Files.writeString(out.resolve(JSON),
        new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(Map.of("tokenizers", rows)) + "\n");
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
