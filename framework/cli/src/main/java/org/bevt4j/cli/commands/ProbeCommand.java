package org.bevt4j.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.StreamKind;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.cli.UsageException;
import org.bevt4j.cli.logging.LogFiles;
import org.bevt4j.cli.progress.Progress;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.eval.ProbeOptions;
import org.bevt4j.core.eval.ProbeResult;
import org.bevt4j.core.eval.ProbeRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bevt4j probe}: linear probe of frozen pretrained features, with top-1/top-5. */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = {
      "Linear probe of frozen pretrained features, with top-1/top-5.",
      "The configured backbone (bevt.model.backbone, weights from --weights) runs in eval mode over a labelled dataset",
      "(bevt.data.<stream> read in eval mode, split by bevt.eval.probe.val-fraction, or --train-set/--val-set blocks);",
      "its pooled features are cached under <run dir>/features and a linear classifier is trained on them",
      "(bevt.eval.probe). Writes probe.json, plots/confusion.png, config.resolved.conf and log.txt into the run dir."
    })
public final class ProbeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Mixin RunOptions run;

  @Option(names = "--weights", paramLabel = "FILE", description = "Pretrained backbone weights (.safetensors or a PyTorch checkpoint).")
  Path weights;

  @Option(names = "--stream", paramLabel = "video|image", description = "The data stream probed (sets bevt.eval.probe.stream).")
  String stream;

  @Option(names = "--train-set", paramLabel = "PATH", description = "Config path of the training dataset block (with --val-set; sets bevt.eval.probe.train-set).")
  String trainSet;

  @Option(names = "--val-set", paramLabel = "PATH", description = "Config path of the validation dataset block (sets bevt.eval.probe.val-set).")
  String valSet;

  @Override
  public Integer call() throws Exception {
    List<String> sets = new ArrayList<>(run.asSets());
    if (weights != null) {
      sets.add("bevt.model.backbone.weights=" + Components.quote(Components.existing(weights, "--weights").toString()));
    }
    if (stream != null) {
      try {
        StreamKind.fromConfigName(stream);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--stream " + stream + ": " + e.getMessage());
      }
      sets.add("bevt.eval.probe.stream=" + Components.quote(stream));
    }
    if ((trainSet == null) != (valSet == null)) {
      throw new UsageException("give both --train-set and --val-set, or neither (then bevt.data.<stream> is split)");
    }
    if (trainSet != null) {
      sets.add("bevt.eval.probe.train-set=" + Components.quote(trainSet));
      sets.add("bevt.eval.probe.val-set=" + Components.quote(valSet));
    }
    try (BevtRuntime rt = Runtimes.openSeeded(spec, config, sets)) {
      ProbeOptions options = ProbeOptions.from(rt.config());
      Path dir = rt.prepareRunDir();
      try (LogFiles.Attached log = LogFiles.attach(dir);
          RuntimeBuildContext ctx = rt.newBuildContext()) {
        Backbone backbone = rt.buildBackbone(ctx);
        ProbeResult r = ProbeRunner.run(rt, ctx, backbone, options, dir, Progress.forEnvironment());
        var out = spec.commandLine().getOut();
        out.print(r.describe());
        out.println("wrote " + dir.resolve(ProbeRunner.JSON) + " and " + dir.resolve(ProbeRunner.CONFUSION_PNG));
        out.flush();
        return ExitCodes.OK;
      }
    }
  }
}
