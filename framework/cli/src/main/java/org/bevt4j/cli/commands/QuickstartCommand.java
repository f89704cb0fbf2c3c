package org.bevt4j.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bevt4j quickstart}: The embedded default: synthetic data, tiny models, a short pretraining and an evaluation, with a summary table and plots (offline, CPU, minutes). */
@Command(name = "quickstart", mixinStandardHelpOptions = true, description = "The embedded default: synthetic data, tiny models, a short pretraining and an evaluation, with a summary table and plots (offline, CPU, minutes).")
public final class QuickstartCommand extends PendingCommand {
  @Mixin ConfigOptions config;

  @Mixin RunOptions run;
}
