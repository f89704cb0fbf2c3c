package org.bevt4j.cli.commands;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.core.bench.BenchRecord;
import org.bevt4j.core.bench.StepBenchmark;
import org.bevt4j.core.bench.StepPreset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bevt4j bench step}: BEVT pretraining step time and throughput per backbone preset, per
 * stream and joint, with the forward / backward / optimizer breakdown, analytic FLOPs, the
 * tokenizer's throughput and the matmul rate of the same libtorch ({@link StepBenchmark}).
 */
@Command(
    name = "step",
    mixinStandardHelpOptions = true,
    description = {
      "Model step benchmark: forward of the chosen streams, masked CE, backward, AdamW (no tokenizer, no clipping)",
      "for the tiny/small/base presets of each backbone; every figure also as a ratio to the dense fp32 matmul rate",
      "measured in the same run. Progress goes to stderr, the table to stdout."
    })
public final class BenchStepCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--backbone", split = ",", paramLabel = "TYPE", defaultValue = "video-swin,timesformer",
      description = "Backbones (default: ${DEFAULT-VALUE}).")
  List<String> backbones;

  @Option(names = "--size", split = ",", paramLabel = "NAME", defaultValue = "small",
      description = "Presets: tiny, small, base (default: ${DEFAULT-VALUE}).")
  List<String> sizes;

  @Option(names = "--streams", split = ",", paramLabel = "CASE", defaultValue = "video,image,joint",
      description = "Stream cases: video, image, joint (default: ${DEFAULT-VALUE}).")
  List<String> streams;

  @Option(names = "--attention", split = ",", paramLabel = "MODE",
      description = "Attention modes to compare: composite, fused, both (default: as configured).")
  List<String> attention = new ArrayList<>();

  @Option(names = "--steps", paramLabel = "N", defaultValue = "5", description = "Measured steps per case (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "Warm-up steps per case (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "libtorch intra-op threads (default: libtorch's choice).")
  int threads;

  @Option(names = "--tokenizer-images", paramLabel = "N", defaultValue = "16",
      description = "Images per tokenizer batch; 0 skips the tokenizer (default: ${DEFAULT-VALUE}).")
  int tokenizerImages;

  @Option(names = "--profile", description = "One extra step per case under libtorch's profiler: JNI/JVM overhead.")
  boolean profile;

  @Option(names = "--profile-dir", paramLabel = "DIR", description = "Keep the profiled steps' Chrome traces in DIR (implies --profile).")
  Path profileDir;

  @Option(names = "--precision", paramLabel = "fp32|fp16",
      description = "Step precision (sets bevt.train.precision; default: as configured). fp16: mixed precision with dynamic loss"
          + " scaling, for GPUs (on a CPU it runs, slowly).")
  String precision;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of weights, inputs and masks.")
  long seed;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the records as a JSON array.")
  Path json;

  @Override
  public Integer call() throws IOException {
    var err = spec.commandLine().getErr();
    StepBenchmark.Options options;
    try {
      List<StepPreset> presets = new ArrayList<>();
      for (String b : backbones) {
        for (String s : sizes) {
          presets.add(StepPreset.of(b.trim(), s.trim()));
        }
      }
      List<StepBenchmark.StreamCase> cases = streams.stream().map(StepBenchmark.StreamCase::parse).toList();
      List<String> modes = new ArrayList<>();
      for (String a : attention) {
        modes.addAll(a.trim().equals("both") ? List.of("composite", "fused") : List.of(a.trim()));
      }
      options = new StepBenchmark.Options(presets, cases, modes, warmup, steps, threads, tokenizerImages,
          profile || profileDir != null, seed, StepBenchmark.Options.MATMUL_SIZE, profileDir);
      if (precision != null && !precision.trim().equals("fp32") && !precision.trim().equals("fp16")) {
        throw new IllegalArgumentException("--precision '" + precision + "' is unknown; expected fp32 or fp16");
      }
    } catch (IllegalArgumentException e) {
      err.println("bench step: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    List<BenchRecord> records =
        StepBenchmark.run(options, sets -> Runtimes.open(spec, config, withPrecision(sets)), line -> {
          err.println(line);
          err.flush();
        });
    BenchJson.printAndWrite(spec.commandLine().getOut(), records, json);
    return ExitCodes.OK;
  }

  private List<String> withPrecision(List<String> sets) {
    if (precision == null) {
      return sets;
    }
    List<String> out = new ArrayList<>(sets);
    out.add("bevt.train.precision=" + precision.trim());
    return out;
  }
}
