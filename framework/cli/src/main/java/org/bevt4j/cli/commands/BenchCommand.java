package org.bevt4j.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bevt4j bench}: Throughput and step-time benchmarks, printed as a table. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Throughput and step-time benchmarks, printed as a table.")
public final class BenchCommand extends PendingCommand {
  @Mixin ConfigOptions config;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "20", description = "Measured steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Warm-up steps not measured (default: ${DEFAULT-VALUE}).")
  int warmup;
}
