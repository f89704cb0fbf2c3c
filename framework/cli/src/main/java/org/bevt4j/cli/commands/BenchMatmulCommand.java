package org.bevt4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.cli.UsageException;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.bench.MatmulRate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bevt4j bench matmul}: the dense fp32 matmul rate of the configured device. */
@Command(
    name = "matmul",
    mixinStandardHelpOptions = true,
    description = {
      "Dense float32 matmul rate (n x n times n x n = 2 n^3 FLOPs) of the libtorch behind DJL on the configured device",
      "(bevt.train.device): the practical peak that model step rates are compared against.",
      "JSON fields: device, n, matmuls_per_run, runs, median_gflops, best_gflops."
    })
public final class BenchMatmulCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--n", paramLabel = "N", defaultValue = "2048", description = "Matrix size (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(names = "--runs", paramLabel = "K", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--min-run-seconds", paramLabel = "S", defaultValue = "0.2", description = "Minimum length of a timed run (default: ${DEFAULT-VALUE}).")
  double minRunSeconds;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
  Path json;

  @Override
  public Integer call() {
    if (n < 1 || runs < 1 || !(minRunSeconds >= 0)) {
      throw new UsageException("--n and --runs must be >= 1 and --min-run-seconds >= 0");
    }
    try (BevtRuntime rt = Runtimes.open(spec, config, List.of());
        RuntimeBuildContext ctx = rt.newBuildContext()) {
      MatmulRate.Result r = MatmulRate.measure(ctx.manager(), n, 2, runs, minRunSeconds);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "%-12s %6s %8s %5s %14s %12s%n", "device", "n", "per run", "runs", "median GFLOP/s", "best GFLOP/s");
      out.printf(Locale.ROOT, "%-12s %6d %8d %5d %14.1f %12.1f%n", r.device(), r.n(), r.matmulsPerRun(), r.runs(), r.medianGflops(), r.bestGflops());
      if (json != null) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", r.device());
        m.put("n", r.n());
        m.put("matmuls_per_run", r.matmulsPerRun());
        m.put("runs", r.runs());
        m.put("median_gflops", r.medianGflops());
        m.put("best_gflops", r.bestGflops());
        BenchJson.write(json, m);
        out.println("wrote " + json);
      }
      out.flush();
      return ExitCodes.OK;
    }
  }
}
