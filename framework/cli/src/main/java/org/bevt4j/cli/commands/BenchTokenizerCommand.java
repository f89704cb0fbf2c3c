package org.bevt4j.cli.commands;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.cli.UsageException;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bevt4j bench tokenizer}: images per second of the configured tokenizer. */
@Command(
    name = "tokenizer",
    mixinStandardHelpOptions = true,
    description = {
      "Tokenizer throughput: encode calls on batches of random pixels at the tokenizer's input size, after warm-up,",
      "on the configured device. JSON fields: tokenizer, input_size, batch, images_per_s, images, seconds, device."
    })
public final class BenchTokenizerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--type", paramLabel = "NAME", description = "Tokenizer type (default: bevt.model.tokenizer.type).")
  String type;

  @Option(names = "--weights", paramLabel = "FILE", description = "Tokenizer weights (default: the configured ones).")
  Path weights;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "Images per encode call (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "10", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "Encode calls before measuring (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
  Path json;

  @Override
  public Integer call() {
    if (batch < 1 || !(seconds > 0) || warmup < 0) {
      throw new UsageException("--batch must be >= 1, --seconds > 0 and --warmup >= 0");
    }
    Path w = weights == null ? null : Components.existing(weights, "--weights");
    try (BevtRuntime rt = Runtimes.openSeeded(spec, config, List.of());
        RuntimeBuildContext ctx = rt.newBuildContext()) {
      Tokenizer tok = Components.tokenizer(rt, ctx, type, "--type", w);
      String name = type != null ? type : rt.config().getString(Components.TOKENIZER_TYPE);
      int size = tok.inputSize();
      NDArray pixels = ctx.manager().randomUniform(0f, 1f, new Shape(batch, 3, size, size), DataType.FLOAT32);
      for (int i = 0; i < warmup; i++) {
        encode(tok, pixels);
      }
      long budget = Math.round(seconds * 1e9);
      long t0 = System.nanoTime();
      long images = 0;
      do {
        encode(tok, pixels);
        images += batch;
      } while (System.nanoTime() - t0 < budget);
      double sec = (System.nanoTime() - t0) / 1e9;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("tokenizer", name);
      r.put("input_size", size);
      r.put("batch", batch);
      r.put("images_per_s", images / sec);
      r.put("images", images);
      r.put("seconds", sec);
      r.put("device", ctx.device().toString());
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "%-12s %6s %6s %9s %9s %10s  %s%n", "tokenizer", "input", "batch", "images", "seconds", "images/s", "device");
      out.printf(Locale.ROOT, "%-12s %6d %6d %9d %9.2f %10.2f  %s%n", name, size, batch, images, sec, images / sec, ctx.device());
      if (json != null) {
        BenchJson.write(json, r);
        out.println("wrote " + json);
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** One encode call, waiting for the ids (so asynchronous devices are timed too). */
  private static void encode(Tokenizer tok, NDArray pixels) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray ids = tok.encode(pixels);
      ids.get(0).toLongArray();
    }
  }
}
