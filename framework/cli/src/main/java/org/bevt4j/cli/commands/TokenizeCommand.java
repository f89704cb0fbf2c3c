package org.bevt4j.cli.commands;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bevt4j.api.Settings;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.cli.UsageException;
import org.bevt4j.cli.progress.Progress;
import org.bevt4j.cli.tokens.MediaInputs;
import org.bevt4j.cli.tokens.SquareResize;
import org.bevt4j.cli.tokens.TokenizeJob;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bevt4j tokenize}: token maps (ids + PNG) of images or video frames. */
@Command(
    name = "tokenize",
    mixinStandardHelpOptions = true,
    description = {
      "Token maps (ids + PNG) of images or video frames.",
      "Each picture's centred square is resized (Lanczos) to the tokenizer's input size. Writes ids.safetensors (one int64",
      "(h, w) entry per image or frame), maps/<name>.png (input and token map side by side) and summary.json, and prints",
      "codebook usage and perplexity."
    })
public final class TokenizeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--type", paramLabel = "NAME", description = "Tokenizer type (default: bevt.model.tokenizer.type).")
  String type;

  @Option(names = "--weights", paramLabel = "FILE", description = "Tokenizer weights (replace bevt.model.tokenizer.<type>.weights).")
  Path weights;

  @Option(names = "--input", paramLabel = "PATH", required = true, description = "An image, a video or a folder of them.")
  Path input;

  @Option(names = "--output", paramLabel = "DIR", required = true, description = "Where ids (.safetensors) and PNG maps are written.")
  Path output;

  @Option(names = "--frames", paramLabel = "N", description = "Frames per video, sampled uniformly (default: all, at most "
      + MediaInputs.DEFAULT_MAX_FRAMES + ").")
  Integer frames;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Pictures per tokenizer call (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--no-png", description = "Write only the ids and the summary.")
  boolean noPng;

  @Override
  public Integer call() throws Exception {
    if (frames != null && frames < 1) {
      throw new UsageException("--frames must be >= 1, found " + frames);
    }
    if (batch < 1) {
      throw new UsageException("--batch must be >= 1, found " + batch);
    }
    List<MediaInputs.Item> items = MediaInputs.list(input);
    Path w = weights == null ? null : Components.existing(weights, "--weights");
    try (BevtRuntime rt = Runtimes.openSeeded(spec, config, List.of());
        RuntimeBuildContext ctx = rt.newBuildContext()) {
      Tokenizer tok = Components.tokenizer(rt, ctx, type, "--type", w);
      String name = type != null ? type : rt.config().getString(Components.TOKENIZER_TYPE);
      int order = Settings.of(rt.config(), "").sub("bevt.data.image").intIn("tokenizer-lanczos-order", 1, 8);
      TokenizeJob job = new TokenizeJob(tok, name, ctx.manager(), new SquareResize(tok.inputSize(), order), output, batch, !noPng);
      TokenizeJob.Summary s = job.run(items, frames == null ? MediaInputs.DEFAULT_MAX_FRAMES : frames, Progress.forEnvironment());
      var out = spec.commandLine().getOut();
      out.println(s.describe());
      out.println("wrote " + output.resolve(TokenizeJob.IDS) + (noPng ? "" : ", " + output.resolve(TokenizeJob.MAPS) + "/*.png")
          + " and " + output.resolve(TokenizeJob.SUMMARY));
      out.flush();
      return ExitCodes.OK;
    }
  }
}
