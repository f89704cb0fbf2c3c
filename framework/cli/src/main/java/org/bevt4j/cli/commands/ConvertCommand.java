package org.bevt4j.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bevt4j convert}: PyTorch checkpoint to safetensors. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = "Convert a PyTorch checkpoint (.pth, .pt, .pyth, .pkl) to .safetensors, selecting and renaming keys.")
public final class ConvertCommand extends PendingCommand {
  @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "The PyTorch checkpoint.")
  Path input;

  @Option(names = "--output", required = true, paramLabel = "OUT.safetensors", description = "The file to write.")
  Path output;

  @Option(names = "--select", paramLabel = "PREFIX", description = "Keep only keys under this prefix (repeatable).")
  List<String> select = new ArrayList<>();

  @Option(names = "--strip-prefix", paramLabel = "PREFIX", description = "Remove this prefix from key names (repeatable).")
  List<String> stripPrefixes = new ArrayList<>();

  @Option(names = "--rename", paramLabel = "FROM=TO", description = "Rename keys starting with FROM (repeatable).")
  List<String> renames = new ArrayList<>();
}
