package org.bevt4j.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.io.CheckpointConverter;
import org.bevt4j.io.ConversionOptions;
import org.bevt4j.io.ConversionSummary;
import org.bevt4j.io.WeightFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bevt4j convert}: a PyTorch checkpoint (read by the restricted unpickler, nothing executed)
 * to one flat {@code .safetensors} file, with key selection, dropping, prefix stripping, renaming and
 * dtype widening. A malicious, truncated or unreadable input is a usage error (exit 2) naming the file.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Convert a PyTorch checkpoint (.pth, .pt, .pyth, .pkl, .ckpt) to .safetensors, selecting and renaming keys.",
      "Rules apply in this order: --select, --drop, --strip-prefix, --rename, --cast.",
      "Example (BEVT/mmaction): convert bevt.pth --output bevt.safetensors --select backbone. --strip-prefix backbone. --drop-index-buffers"
    })
public final class ConvertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "The PyTorch checkpoint.")
  Path input;

  @Option(names = "--output", required = true, paramLabel = "OUT.safetensors", description = "The file to write.")
  Path output;

  @Option(names = "--select", paramLabel = "PREFIX", description = "Keep only keys under this prefix (repeatable).")
  List<String> select = new ArrayList<>();

  @Option(names = "--drop", paramLabel = "PATTERN", description = "Drop keys matching this pattern: a whole key, a dotted tail or a * glob (repeatable).")
  List<String> drop = new ArrayList<>();

  @Option(names = "--drop-index-buffers", description = "Drop buffers bevt4j recomputes (relative_position_index, num_batches_tracked, attn_mask).")
  boolean dropIndexBuffers;

  @Option(names = "--strip-prefix", paramLabel = "PREFIX", description = "Remove this prefix from key names (repeatable).")
  List<String> stripPrefixes = new ArrayList<>();

  @Option(names = "--rename", paramLabel = "FROM=TO", description = "Rename keys starting with FROM (repeatable; first match wins).")
  List<String> renames = new ArrayList<>();

  @Option(names = "--cast", paramLabel = "keep|f32", defaultValue = "f32", description = "Keep stored dtypes or widen F16/BF16 to F32 (default: ${DEFAULT-VALUE}).")
  String cast;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try {
      ConversionOptions options =
          new ConversionOptions(
              select, drop, dropIndexBuffers, stripPrefixes,
              renames.stream().map(ConversionOptions.Rename::parse).toList(),
              ConversionOptions.Cast.parse(cast));
      ConversionSummary summary = CheckpointConverter.convert(input, output, options);
      out.println(summary.describe());
      out.flush();
      return ExitCodes.OK;
    } catch (IllegalArgumentException | WeightFileException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
  }
}
