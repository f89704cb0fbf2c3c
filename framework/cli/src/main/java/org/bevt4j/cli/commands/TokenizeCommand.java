package org.bevt4j.cli.commands;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bevt4j tokenize}: token maps (ids + PNG) of images or video frames. */
@Command(name = "tokenize", mixinStandardHelpOptions = true, description = "Token maps (ids + PNG) of images or video frames.")
public final class TokenizeCommand extends PendingCommand {
  @Mixin ConfigOptions config;

  @Option(names = "--type", paramLabel = "NAME", description = "Tokenizer type (default: bevt.model.tokenizer.type).")
  String type;

  @Option(names = "--weights", paramLabel = "FILE", description = "Tokenizer weights.")
  Path weights;

  @Option(names = "--input", paramLabel = "PATH", required = true, description = "An image, a video or a folder of them.")
  Path input;

  @Option(names = "--output", paramLabel = "DIR", required = true, description = "Where ids (.safetensors) and PNG maps are written.")
  Path output;
}
