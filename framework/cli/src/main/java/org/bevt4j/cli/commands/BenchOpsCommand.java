package org.bevt4j.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.bench.BenchRecord;
import org.bevt4j.core.bench.OpsBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bevt4j bench ops}: the selectable building blocks timed alone ({@link OpsBenchmark}). */
@Command(
    name = "ops",
    mixinStandardHelpOptions = true,
    description = {
      "Building blocks with several implementations, each timed alone on Swin-T/small-preset shapes: the relative-position",
      "bias (one lookup vs factorized one-hot products, forward + backward, window 8x7x7, 392 and 49 tokens, 3/6/12/24 heads)",
      "and one AdamW update over a Swin-T-shaped parameter set with an 8192-way head (elementwise vs fused).",
      "The table goes to stdout (min_ms: fastest iteration, the figure least disturbed by other load)."
    })
public final class BenchOpsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "Untimed iterations per case (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "10", description = "Timed iterations per case (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "libtorch intra-op threads (default: libtorch's choice).")
  int threads;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the records as a JSON array.")
  Path json;

  @Override
  public Integer call() throws IOException {
    OpsBenchmark.Options options;
    try {
      options = OpsBenchmark.Options.swinT(warmup, iterations, threads);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("bench ops: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    PrintWriter err = spec.commandLine().getErr();
    List<BenchRecord> records;
    try (BevtRuntime rt = Runtimes.open(spec, config, List.of());
        RuntimeBuildContext ctx = rt.newBuildContext()) {
      records = OpsBenchmark.run(options, ctx.manager(), line -> {
        err.println(line);
        err.flush();
      });
    }
    BenchJson.printAndWrite(spec.commandLine().getOut(), records, json);
    return ExitCodes.OK;
  }
}
