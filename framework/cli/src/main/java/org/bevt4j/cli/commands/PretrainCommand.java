package org.bevt4j.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bevt4j pretrain}: BEVT dual-path pretraining (image stream, then joint video + image streams). */
@Command(name = "pretrain", mixinStandardHelpOptions = true, description = "BEVT dual-path pretraining (image stream, then joint video + image streams).")
public final class PretrainCommand extends PendingCommand {
  @Mixin ConfigOptions config;

  @Mixin RunOptions run;

  @Option(names = "--dry-run", description = "Validate the configuration, build every component and stop.")
  boolean dryRun;
}
