package org.bevt4j.core.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import java.util.Locale;
import java.util.function.Consumer;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;

/**
 * Throughput of the configured frozen tokenizer ({@code bevt.model.tokenizer}): {@code encode} of
 * a batch of random pixels at its input resolution, without autograd, as during pretraining. The
 * DALL-E encoder's FLOPs come from {@link DalleEncoderFlops} (other tokenizers: unknown).
 */
final class TokenizerBenchmark {
  private TokenizerBenchmark() {}

  static BenchRecord run(BevtRuntime rt, RuntimeBuildContext ctx, int images, int warmup, int steps, Consumer<String> log) {
    Tokenizer tok = rt.buildTokenizer(ctx);
    Config root = rt.config();
    String type = root.getString("bevt.model.tokenizer.type");
    int size = tok.inputSize();
    double gflop = Double.NaN;
    if (type.equals("dalle")) {
      Config d = root.getConfig("bevt.model.tokenizer.dalle");
      gflop = DalleEncoderFlops.forward(images, size, d.getInt("n-hid"), d.getInt("n-blk-per-group"), d.getInt("vocab-size")).gflop();
    }
    NDManager m = ctx.manager();
    double[] ms = new double[steps];
    double[] cpu = new double[steps];
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray pixels = m.randomUniform(0f, 1f, new Shape(images, 3, size, size), DataType.FLOAT32);
      for (int i = 0; i < warmup + steps; i++) {
        try (NDScope step = new NDScope()) {
          step.suppressNotUsedWarning();
          long c0 = os.getProcessCpuTime();
          long t0 = System.nanoTime();
          StepTimer.await(tok.encode(pixels));
          double t = (System.nanoTime() - t0) / 1e6;
          if (i >= warmup) {
            ms[i - warmup] = t;
            cpu[i - warmup] = (os.getProcessCpuTime() - c0) / 1e6;
            log.accept(String.format(Locale.ROOT, "tokenizer %s step %d/%d: %.0f ms", type, i - warmup + 1, steps, t));
          }
        }
      }
    }
    double median = StepTimer.Stats.of(ms).medianMs();
    return BenchRecord.of(String.format(Locale.ROOT, "tokenizer %s %dx%d^2", type, images, size), median, gflop, Double.NaN)
        .withExtra("images_per_s", images / (median / 1000))
        .withExtra("cpu_ms", StepTimer.Stats.of(cpu).medianMs())
        .withExtra("load_avg", StepBenchmark.load());
  }
}
