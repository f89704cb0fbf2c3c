package org.bevt4j.core.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.plugin.PluginHost;

/**
 * The model step benchmark ({@code bevt4j bench step}): step time and throughput of BEVT
 * pretraining steps per backbone preset ({@link StepPreset}), per stream and joint, with the
 * forward / backward / optimizer breakdown, the analytic FLOPs per step ({@link ModelFlops}), the
 * frozen tokenizer's throughput ({@link TokenizerBenchmark}), and — in the same run, on the same
 * device — the dense fp32 matmul rate ({@link MatmulRate}), so that every figure is also a ratio
 * (achieved GFLOP/s ÷ matmul GFLOP/s).
 *
 * <p>Method. The matmul rate is measured before and after the model cases (the record gives their
 * mean; extras both). For each preset, one model per attention mode is built; then, after the
 * warm-up steps, the cases of the preset (modes × stream cases) <b>alternate</b> step by step, so a
 * changing machine load affects them alike; each figure is the median over the measured steps.
 * Besides wall time, the process CPU time per step is recorded ({@code cpu_ms}, and {@code
 * cpu_ratio} against the matmul's GFLOP per CPU-second): on a shared machine it is less sensitive
 * to other processes. With {@link Options#profile()} one more step per case runs under libtorch's
 * profiler: {@code gap_pct} is the share of the step spent between native ops (Java, JNI, GC,
 * profiler bookkeeping), and {@code est_jni_pct} = Java-issued native calls × the CPU time of a
 * tiny op (JNI call + allocation) ÷ the step's CPU time.
 *
 * <p>Precision follows {@code bevt.train.precision} (CLI {@code --precision}): fp16 cases are named
 * {@code ... fp16}, include the dynamic loss scaling of the trainer, report {@code loss_scale} and
 * {@code skipped_steps}, and on a GPU also {@code fp16_ratio} against a dense fp16 matmul rate
 * measured in the same run. On a CPU fp16 is slow (no fp16 matmul units); it is measurable, not useful.
 */
public final class StepBenchmark {
  private StepBenchmark() {}

  /** Which streams a case trains. */
  public enum StreamCase {
    VIDEO(EnumSet.of(StreamKind.VIDEO)),
    IMAGE(EnumSet.of(StreamKind.IMAGE)),
    JOINT(EnumSet.of(StreamKind.VIDEO, StreamKind.IMAGE));

    private final Set<StreamKind> streams;

    StreamCase(Set<StreamKind> streams) {
      this.streams = streams;
    }

    /** The streams trained. */
    public Set<StreamKind> streams() {
      return EnumSet.copyOf(streams);
    }

    /** Lower-case name. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code video}, {@code image} or {@code joint}. */
    public static StreamCase parse(String s) {
      for (StreamCase c : values()) {
        if (c.configName().equalsIgnoreCase(s.trim())) {
          return c;
        }
      }
      throw new IllegalArgumentException("unknown stream case '" + s + "'; expected video, image or joint");
    }
  }

  /**
   * What to measure.
   *
   * @param presets model presets
   * @param streams stream cases per preset (a case is skipped when the preset lacks a stream)
   * @param attention attention modes ({@code composite}, {@code fused}); empty = as configured
   * @param warmup unmeasured steps per case
   * @param steps measured steps per case
   * @param threads libtorch intra-op threads (0 = leave libtorch's setting)
   * @param tokenizerImages images per tokenizer batch (0 = no tokenizer case)
   * @param profile one profiled step per case (JNI/JVM overhead)
   * @param seed seed of weights, inputs and masks
   * @param matmulSize side of the yardstick matmul ({@link #MATMUL_SIZE} normally)
   * @param profileDir where profiled steps keep their Chrome traces ({@code <case>.json}); null =
   *     temporary files, deleted after reading
   */
  public record Options(
      List<StepPreset> presets, List<StreamCase> streams, List<String> attention, int warmup, int steps, int threads,
      int tokenizerImages, boolean profile, long seed, int matmulSize, Path profileDir) {
    /** The yardstick matmul side of the issue: 2048² fp32. */
    public static final int MATMUL_SIZE = 2048;

    /** Options with the standard 2048² matmul. */
    public Options(
        List<StepPreset> presets, List<StreamCase> streams, List<String> attention, int warmup, int steps, int threads,
        int tokenizerImages, boolean profile, long seed) {
      this(presets, streams, attention, warmup, steps, threads, tokenizerImages, profile, seed, MATMUL_SIZE, null);
    }

    /** Validates counts. */
    public Options {
      if (matmulSize < 1) {
        throw new IllegalArgumentException("matmul size must be >= 1, got " + matmulSize);
      }
      presets = List.copyOf(presets);
      streams = List.copyOf(streams);
      attention = List.copyOf(attention);
      if (warmup < 0 || steps < 1 || threads < 0 || tokenizerImages < 0) {
        throw new IllegalArgumentException(
            "need warmup >= 0, steps >= 1, threads >= 0, tokenizer images >= 0; got warmup=" + warmup + " steps=" + steps
                + " threads=" + threads + " tokenizerImages=" + tokenizerImages);
      }
      for (String a : attention) {
        if (!a.equals("composite") && !a.equals("fused")) {
          throw new IllegalArgumentException("attention mode '" + a + "' is unknown; expected composite or fused");
        }
      }
    }
  }

  /** Where the benchmark gets its device, models and tokenizer from. */
  public interface ModelSource {
    /** The device the models run on (the matmul rate is measured there). */
    Device device();

    /** The parts of a preset, with {@code extraSets} applied after the preset's settings. */
    StepParts parts(StepPreset preset, List<String> extraSets);

    /** The tokenizer case ({@link TokenizerBenchmark}). */
    BenchRecord tokenizer(int images, int warmup, int steps, Consumer<String> log);
  }

  /**
   * The plugin runtime as model source: {@code opener} opens a runtime with the given extra {@code
   * --set} assignments (the caller adds its own config file, overrides and plugin location).
   */
  public static ModelSource runtimeSource(Function<List<String>, BevtRuntime> opener) {
    return new ModelSource() {
      @Override
      public Device device() {
        try (BevtRuntime rt = opener.apply(List.of());
            RuntimeBuildContext ctx = rt.newBuildContext()) {
          return ctx.device();
        }
      }

      @Override
      public StepParts parts(StepPreset preset, List<String> extraSets) {
        return StepParts.fromRuntime(preset, extraSets, opener);
      }

      @Override
      public BenchRecord tokenizer(int images, int warmup, int steps, Consumer<String> log) {
        try (BevtRuntime rt = opener.apply(List.of());
            RuntimeBuildContext ctx = rt.newBuildContext()) {
          return TokenizerBenchmark.run(rt, ctx, images, warmup, steps, log);
        }
      }
    };
  }

  /** {@link #run(Options, ModelSource, Consumer)} with the plugin runtime ({@link #runtimeSource}). */
  public static List<BenchRecord> run(Options options, Function<List<String>, BevtRuntime> opener, Consumer<String> log) {
    return run(options, runtimeSource(opener), log);
  }

  /**
   * Runs the benchmark.
   *
   * @param options what to measure
   * @param source device, models and tokenizer
   * @param log progress lines
   * @return the matmul record, the tokenizer record (if asked) and one record per case
   */
  public static List<BenchRecord> run(Options options, ModelSource source, Consumer<String> log) {
    Engine.getEngine(PluginHost.ENGINE);
    if (options.threads() > 0) {
      JniUtils.setNumThreads(options.threads());
    }
    int threads = JniUtils.getNumThreads();
    Device device = source.device();
    List<BenchRecord> cases = new ArrayList<>();
    BenchRecord tokenizer = null;
    double tinyOpUs = Double.NaN;
    log.accept(String.format(Locale.ROOT, "device %s, %d libtorch threads, load average %.2f", device, threads, load()));
    MatmulCpu before = MatmulCpu.measure(device, options.matmulSize());
    log.accept(String.format(Locale.ROOT, "matmul: %.1f GFLOP/s (%.1f GFLOP per CPU-second)", before.record().achievedGflops(),
        before.cpuGflops()));
    if (options.profile()) {
      tinyOpUs = MatmulCpu.tinyOpCpuMicros(device, 10_000);
      log.accept(String.format(Locale.ROOT, "tiny op (JNI call + allocation): %.2f µs of CPU time", tinyOpUs));
    }
    if (options.tokenizerImages() > 0) {
      tokenizer = source.tokenizer(options.tokenizerImages(), options.warmup(), options.steps(), log);
    }
    for (StepPreset p : options.presets()) {
      cases.addAll(runPreset(p, options, source, tinyOpUs, threads, log));
    }
    MatmulCpu after = MatmulCpu.measure(device, options.matmulSize());
    double matmul = (before.record().achievedGflops() + after.record().achievedGflops()) / 2;
    double matmulCpu = (before.cpuGflops() + after.cpuGflops()) / 2;
    List<BenchRecord> out = new ArrayList<>();
    double matmulGflop = 2.0 * Math.pow(options.matmulSize(), 3) / 1e9;
    out.add(BenchRecord.of("matmul " + options.matmulSize() + "^2 fp32 (" + device + ")", matmulGflop / matmul * 1000, matmulGflop, matmul)
        .withExtra("before_gflops", before.record().achievedGflops())
        .withExtra("after_gflops", after.record().achievedGflops())
        .withExtra("cpu_gflops", matmulCpu)
        .withExtra("threads", threads)
        .withExtra("load_avg", load()));
    if (tokenizer != null) {
      out.add(withMatmul(tokenizer, matmul, matmulCpu));
    }
    double half = Double.NaN;
    if (device.isGpu() && cases.stream().anyMatch(r -> r.extras().containsKey("fp16"))) {
      // MFU of fp16 cases against the dense fp16 rate (tensor cores); on a CPU fp16 is no yardstick
      try (ai.djl.ndarray.NDManager m = Engine.getEngine(PluginHost.ENGINE).newBaseManager(device)) {
        half = MatmulRate.measure(m, options.matmulSize(), 2, 5, 0.2, ai.djl.ndarray.types.DataType.FLOAT16).medianGflops();
      }
      out.add(BenchRecord.of("matmul " + options.matmulSize() + "^2 fp16 (" + device + ")", matmulGflop / half * 1000, matmulGflop, half));
      log.accept(String.format(Locale.ROOT, "matmul fp16: %.1f GFLOP/s", half));
    }
    for (BenchRecord r : cases) {
      BenchRecord w = withMatmul(r, matmul, matmulCpu);
      if (Double.isFinite(half) && r.extras().containsKey("fp16")) {
        w = w.withExtra("fp16_matmul_gflops", half).withExtra("fp16_ratio", r.achievedGflops() / half);
      }
      out.add(w);
    }
    return out;
  }

  private static List<BenchRecord> runPreset(
      StepPreset p, Options o, ModelSource source, double tinyOpUs, int threads, Consumer<String> log) {
    List<StepModel> models = new ArrayList<>();
    try {
      List<List<String>> variants = new ArrayList<>();
      if (o.attention().isEmpty()) {
        variants.add(List.of());
      } else {
        for (String a : o.attention()) {
          variants.add(List.of(p.settingsPath() + ".attention=" + a));
        }
      }
      for (List<String> v : variants) {
        log.accept("building " + p.id() + (v.isEmpty() ? "" : " " + v));
        models.add(new StepModel(p, source.parts(p, v), o.seed()));
      }
      List<Case> cases = new ArrayList<>();
      for (StepModel m : models) {
        for (StreamCase sc : o.streams()) {
          if (sc.streams().stream().allMatch(m::has)) {
            cases.add(new Case(m, sc, new ArrayList<>()));
          }
        }
      }
      for (int i = 0; i < o.warmup(); i++) {
        for (Case c : cases) {
          c.model().step(c.streams().streams());
        }
      }
      for (int i = 0; i < o.steps(); i++) {
        for (Case c : cases) {
          StepModel.Sample s = c.model().step(c.streams().streams());
          c.samples().add(s);
          log.accept(String.format(Locale.ROOT, "%s step %d/%d: %.0f ms (fwd %.0f, bwd %.0f, opt %.0f; cpu %.0f ms; load %.2f)",
              c.name(), i + 1, o.steps(), s.totalMs(), s.forwardMs(), s.backwardMs(), s.optimizerMs(), s.cpuMs(), s.load()));
        }
      }
      List<BenchRecord> out = new ArrayList<>();
      for (Case c : cases) {
        BenchRecord r = c.record(threads);
        if (o.profile()) {
          r = profiled(c, r, tinyOpUs, o.profileDir(), log);
        }
        out.add(r);
      }
      return out;
    } finally {
      for (StepModel m : models) {
        m.close();
      }
    }
  }

  /** A measured case: a model and the streams of its step. */
  private record Case(StepModel model, StreamCase streams, List<StepModel.Sample> samples) {
    String name() {
      return model.preset().id() + " " + streams.configName() + " " + model.attention() + (model.fp16() ? " fp16" : "");
    }

    BenchRecord record(int threads) {
      double total = median(samples, StepModel.Sample::totalMs);
      double gflop = model.gflop(streams.streams());
      BenchRecord r = BenchRecord.of(name(), total, gflop, Double.NaN);
      Map<String, Double> extras = new LinkedHashMap<>();
      extras.put("forward_ms", median(samples, StepModel.Sample::forwardMs));
      extras.put("backward_ms", median(samples, StepModel.Sample::backwardMs));
      extras.put("optimizer_ms", median(samples, StepModel.Sample::optimizerMs));
      StepPreset p = model.preset();
      if (streams.streams().contains(StreamKind.VIDEO)) {
        extras.put("clips_per_s", p.clips() / (total / 1000));
      }
      if (streams.streams().contains(StreamKind.IMAGE)) {
        extras.put("images_per_s", p.images() / (total / 1000));
      }
      extras.put("cpu_ms", median(samples, StepModel.Sample::cpuMs));
      extras.put("params_m", model.parameters() / 1e6);
      extras.put("threads", (double) threads);
      extras.put("load_avg", median(samples, StepModel.Sample::load));
      if (model.fp16()) {
        extras.put("fp16", 1.0);
        extras.put("loss_scale", model.scaler().scale());
        extras.put("skipped_steps", (double) model.scaler().skipped());
      }
      for (Map.Entry<String, Double> e : extras.entrySet()) {
        r = r.withExtra(e.getKey(), e.getValue());
      }
      return r;
    }
  }

  private static BenchRecord profiled(Case c, BenchRecord r, double tinyOpUs, Path dir, Consumer<String> log) {
    Path file;
    try {
      if (dir != null) {
        Files.createDirectories(dir);
        file = dir.resolve(c.name().replaceAll("[^A-Za-z0-9._-]+", "_") + ".json");
      } else {
        file = Files.createTempFile("bevt4j-step-profile", ".json");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the profile file" + (dir == null ? "" : " in " + dir), e);
    }
    try {
      JniUtils.startProfile(false, false, false);
      StepModel.Sample s;
      try {
        s = c.model().step(c.streams().streams());
      } finally {
        JniUtils.stopProfile(file.toString());
      }
      ProfileTrace t = ProfileTrace.read(file);
      double estimate = t.javaCalls() * tinyOpUs / 1000 / s.cpuMs() * 100;
      log.accept(String.format(Locale.ROOT,
          "%s profiled: %d native ops (%d called from Java), %.1f%% of %.0f ms between native ops, est. JNI %.2f%%; top: %s",
          c.name(), t.topLevel(), t.javaCalls(), t.gapFraction() * 100, t.spanMs(), estimate, top(t.byName(), 5)));
      return r.withExtra("native_ops", t.topLevel())
          .withExtra("java_calls", t.javaCalls())
          .withExtra("gap_pct", t.gapFraction() * 100)
          .withExtra("est_jni_pct", estimate)
          .withExtra("tiny_op_us", tinyOpUs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the profile " + file, e);
    } finally {
      if (dir == null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a temp file left behind
        }
      }
    }
  }

  private static String top(Map<String, Double> byName, int n) {
    StringBuilder sb = new StringBuilder();
    byName.entrySet().stream().limit(n).forEach(e ->
        sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(String.format(Locale.ROOT, " %.0f ms", e.getValue())));
    return sb.toString();
  }

  private static BenchRecord withMatmul(BenchRecord r, double matmul, double matmulCpu) {
    BenchRecord out = new BenchRecord(r.name(), r.stepMs(), r.gflopPerStep(), r.achievedGflops(), matmul,
        r.achievedGflops() / matmul, r.extras());
    Double cpu = r.extras().get("cpu_ms");
    if (cpu != null && Double.isFinite(r.gflopPerStep())) {
      out = out.withExtra("cpu_ratio", r.gflopPerStep() / (cpu / 1000) / matmulCpu);
    }
    return out;
  }

  private static double median(List<StepModel.Sample> samples, java.util.function.ToDoubleFunction<StepModel.Sample> f) {
    return StepTimer.Stats.of(samples.stream().mapToDouble(f).toArray()).medianMs();
  }

  /** The system load average over the last minute (NaN where unavailable). */
  static double load() {
    double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return l < 0 ? Double.NaN : l;
  }
}
