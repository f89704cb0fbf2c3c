package org.bevt4j.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bevt4j finetune}: Downstream action classification from pretrained weights, with top-1/top-5. */
@Command(name = "finetune", mixinStandardHelpOptions = true, description = "Downstream action classification from pretrained weights, with top-1/top-5.")
public final class FinetuneCommand extends PendingCommand {
  @Mixin ConfigOptions config;

  @Mixin RunOptions run;

  @Option(names = "--weights", paramLabel = "FILE", description = "Pretrained backbone weights (.safetensors or a PyTorch checkpoint).")
  java.nio.file.Path weights;
}
