package org.bevt4j.cli.commands;

import java.util.concurrent.Callable;
import org.bevt4j.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bevt4j bench}: throughput and step-time benchmarks, printed as a table. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Throughput and step-time benchmarks, printed as a table (and optionally written as JSON).",
    subcommands = {
      BenchDataCommand.class,
      BenchTokenizerCommand.class,
      BenchAllreduceCommand.class,
      BenchMatmulCommand.class,
      BenchStepCommand.class,
      BenchOpsCommand.class
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
