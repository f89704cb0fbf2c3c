package org.bevt4j.cli.commands;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.cli.logging.LogFiles;
import org.bevt4j.cli.progress.Progress;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.train.PretrainJob;
import org.bevt4j.core.train.PretrainResult;
import org.bevt4j.core.train.ProgressTrainingListener;
import org.bevt4j.core.train.StageSettings;
import org.bevt4j.core.train.TrainSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bevt4j pretrain}: BEVT dual-path pretraining (image stream, then joint video + image streams). */
@Command(name = "pretrain", mixinStandardHelpOptions = true, description = "BEVT dual-path pretraining (image stream, then joint video + image streams).")
public final class PretrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Mixin RunOptions run;

  @Option(names = "--dry-run", description = "Validate the configuration, print the plan (stages, streams, batch sizes) and stop.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    try (BevtRuntime rt = Runtimes.open(spec, config, run.asSets())) {
      rt.validate();
      TrainSettings settings = TrainSettings.from(rt.config());
      if (dryRun) {
        out.println("run dir: " + PretrainJob.runDir(rt));
        out.println("backbone: " + rt.config().getString("bevt.model.backbone.type")
            + ", tokenizer: " + rt.config().getString("bevt.model.tokenizer.type"));
        for (StageSettings st : settings.stages()) {
          out.println(String.format(Locale.ROOT, "stage %-8s streams %s, %s", st.name(), st.streams(),
              st.steps() > 0 ? st.steps() + " steps" : st.epochs() + " epochs"));
        }
        out.println(String.format(Locale.ROOT, "batch: %d clips + %d images per micro-batch, accumulate %d",
            settings.videoBatch(), settings.imageBatch(), settings.accumulate()));
        out.flush();
        return ExitCodes.OK;
      }
      Path dir = rt.prepareRunDir();
      try (LogFiles.Attached log = LogFiles.attach(dir)) {
        PretrainResult r = PretrainJob.run(rt, List.of(new ProgressTrainingListener(Progress.forEnvironment())));
        out.println(String.format(Locale.ROOT, "pretraining %s after %d steps; run dir %s%s",
            r.status() == PretrainResult.Status.COMPLETED ? "completed" : "stopped (checkpoint written)",
            r.globalStep(), dir, r.lastCheckpoint() == null ? "" : "; last checkpoint " + r.lastCheckpoint()));
        if (r.last() != null) {
          out.println(String.format(Locale.ROOT, "final loss %.4f (video %.4f, image %.4f), mask accuracy video %.3f image %.3f",
              r.last().loss(), r.last().videoLoss(), r.last().imageLoss(), r.last().videoAccuracy(), r.last().imageAccuracy()));
        }
        out.flush();
      }
      return ExitCodes.OK;
    }
  }
}
