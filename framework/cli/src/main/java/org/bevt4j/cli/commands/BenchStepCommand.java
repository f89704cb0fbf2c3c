package org.bevt4j.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bevt4j bench step}: time of one training step of the configured model (not in this build yet). */
@Command(name = "step", mixinStandardHelpOptions = true, description = "Step time of the configured model (forward + backward + update), per stream.")
public final class BenchStepCommand extends PendingCommand {
  @Mixin ConfigOptions config;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "20", description = "Measured steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Warm-up steps not measured (default: ${DEFAULT-VALUE}).")
  int warmup;
}
