package org.bevt4j.cli.commands;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bevt4j forward}: runs one component on a tensor file. */
@Command(
    name = "forward",
    mixinStandardHelpOptions = true,
    description = "Run one component on tensors from a .safetensors file and write its outputs.")
public final class ForwardCommand extends PendingCommand {
  /** The components {@code forward} can run. */
  public enum Component {
    backbone,
    tokenizer
  }

  @Mixin ConfigOptions config;

  @Option(names = "--component", required = true, paramLabel = "backbone|tokenizer", description = "Which component to run.")
  Component component;

  @Option(names = "--type", required = true, paramLabel = "NAME", description = "Its type, e.g. video-swin or dalle.")
  String type;

  @Option(names = "--weights", paramLabel = "FILE", description = "Weights to load (.safetensors or a PyTorch checkpoint).")
  Path weights;

  @Option(names = "--input", required = true, paramLabel = "I.safetensors", description = "Input tensors.")
  Path input;

  @Option(names = "--output", required = true, paramLabel = "O.safetensors", description = "Output tensors.")
  Path output;
}
