package org.bevt4j.cli.commands;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bevt4j compare-tokenizers}: a side-by-side report of several tokenizers on the same input. */
@Command(
    name = "compare-tokenizers",
    mixinStandardHelpOptions = true,
    description = "Side-by-side comparison report of tokenizers on the same images or frames.")
public final class CompareTokenizersCommand extends PendingCommand {
  @Mixin ConfigOptions config;

  @Option(names = "--types", paramLabel = "NAME", split = ",", description = "Tokenizer types to compare (default: all installed).")
  List<String> types;

  @Option(names = "--input", paramLabel = "PATH", required = true, description = "An image, a video or a folder of them.")
  Path input;

  @Option(names = "--output", paramLabel = "DIR", required = true, description = "Where the report is written.")
  Path output;
}
