package org.bevt4j.core.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.bevt4j.core.optim.AdamW;
import org.bevt4j.core.optim.AdamWImplementation;
import org.bevt4j.core.optim.OptimParam;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Param;

/**
 * {@code bevt4j bench ops}: the building blocks whose implementation can be chosen, each variant
 * timed alone on the shapes of a Swin-T-width model (the small preset's backbone): the
 * relative-position bias (one lookup vs the factorized products, {@link
 * MicroBenchmarks#relativeBias}) per head count and window size, and one AdamW update over a
 * Swin-T-shaped parameter set plus an 8192-way head (elementwise vs fused). Every record also
 * carries the fastest single iteration ({@code min_ms}), the figure least disturbed by other load.
 */
public final class OpsBenchmark {
  /** Window of the Swin-T/small preset's video stream. */
  static final int[] WINDOW = {8, 7, 7};

  private OpsBenchmark() {}

  /**
   * What to run.
   *
   * @param warmup untimed iterations per case
   * @param iterations timed iterations per case
   * @param threads libtorch intra-op threads (0 = leave libtorch's setting)
   * @param heads head counts of the relative-bias cases (Swin-T: 3, 6, 12, 24)
   * @param depths blocks per stage of the AdamW parameter set (Swin-T: 2, 2, 6, 2)
   * @param embedDim stage-1 width of the AdamW parameter set (Swin-T: 96)
   */
  public record Options(int warmup, int iterations, int threads, int[] heads, int[] depths, int embedDim) {
    /** Validates counts. */
    public Options {
      if (warmup < 0 || iterations < 1 || threads < 0 || embedDim < 1 || heads.length == 0 || depths.length == 0) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "need warmup >= 0, iterations >= 1, threads >= 0, embedDim >= 1 and some heads and depths; got warmup=%d"
                + " iterations=%d threads=%d embedDim=%d", warmup, iterations, threads, embedDim));
      }
      heads = heads.clone();
      depths = depths.clone();
    }

    /** The Swin-T/small-preset shapes. */
    public static Options swinT(int warmup, int iterations, int threads) {
      return new Options(warmup, iterations, threads, new int[] {3, 6, 12, 24}, new int[] {2, 2, 6, 2}, 96);
    }
  }

  /** Runs every case on {@code manager}'s device; progress lines go to {@code log}. */
  public static List<BenchRecord> run(Options o, NDManager manager, Consumer<String> log) {
    if (o.threads() > 0) {
      JniUtils.setNumThreads(o.threads());
    }
    log.accept(String.format(Locale.ROOT, "device %s, %d libtorch threads", manager.getDevice(), JniUtils.getNumThreads()));
    List<BenchRecord> out = new ArrayList<>();
    int plane = WINDOW[1] * WINDOW[2];
    for (int n : new int[] {WINDOW[0] * plane, plane}) {
      for (int h : o.heads()) {
        for (boolean factorized : new boolean[] {false, true}) {
          BenchRecord r = MicroBenchmarks.relativeBias(manager, WINDOW, n, h, factorized, o.warmup(), o.iterations());
          log.accept(line(r));
          out.add(r);
        }
      }
    }
    for (AdamWImplementation impl : new AdamWImplementation[] {AdamWImplementation.ELEMENTWISE, AdamWImplementation.FUSED}) {
      BenchRecord r = adamW(manager, impl, o.depths(), o.embedDim(), o.warmup(), o.iterations());
      log.accept(line(r));
      out.add(r);
    }
    return out;
  }

  private static String line(BenchRecord r) {
    return String.format(Locale.ROOT, "%s: %.3f ms (min %.3f)", r.name(), r.stepMs(), r.extras().get("min_ms"));
  }

  /**
   * One AdamW step over a Swin-shaped parameter set (per block: two norms, qkv, proj, fc1, fc2,
   * the relative-position table; patch merging between stages; an 8192-way head), weight decay on
   * the matrices, after one backward that gives every parameter a gradient. Opens a {@code
   * GradientCollector} once.
   */
  public static BenchRecord adamW(
      NDManager manager, AdamWImplementation impl, int[] depths, int embedDim, int warmup, int iterations) {
    List<long[]> shapes = swinShapes(depths, embedDim);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      ShapedParams mod = new ShapedParams(shapes);
      mod.initialize(manager);
      List<OptimParam> params = new ArrayList<>();
      long count = 0;
      for (int i = 0; i < mod.params.size(); i++) {
        Param p = mod.params.get(i);
        params.add(new OptimParam("p" + i, p, p.shape().dimension() > 1 ? 0.05 : 0.0, 1.0));
        count += p.shape().size();
      }
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray loss = null;
        for (Param p : mod.params) {
          NDArray t = p.array().square().sum();
          loss = loss == null ? t : loss.add(t);
        }
        gc.backward(loss);
      }
      try (AdamW opt = new AdamW(params, 0.9, 0.999, 1e-8, impl, manager)) {
        StepTimer.Result t = new StepTimer(warmup, iterations).run(laps -> {
          opt.step(1e-4);
          StepTimer.await(params.get(0).param().array());
        });
        return new BenchRecord(String.format(Locale.ROOT, "adamw %s %d tensors %.1fM params", impl.configName(), params.size(), count / 1e6),
                t.stepMs(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, java.util.Map.of())
            .withExtra("min_ms", t.step().minMs())
            .withExtra("tensors", params.size())
            .withExtra("params_m", count / 1e6);
      }
    }
  }

  /** Parameter shapes of a Swin backbone of these depths and stage-1 width, plus an 8192-way head. */
  static List<long[]> swinShapes(int[] depths, int embedDim) {
    List<long[]> shapes = new ArrayList<>();
    long c = embedDim;
    int heads = Math.max(1, embedDim / 32);
    long table = (2L * WINDOW[0] - 1) * (2L * WINDOW[1] - 1) * (2L * WINDOW[2] - 1);
    for (int s = 0; s < depths.length; s++) {
      for (int b = 0; b < depths[s]; b++) {
        shapes.add(new long[] {c});
        shapes.add(new long[] {c});
        shapes.add(new long[] {table, heads});
        shapes.add(new long[] {3 * c, c});
        shapes.add(new long[] {3 * c});
        shapes.add(new long[] {c, c});
        shapes.add(new long[] {c});
        shapes.add(new long[] {c});
        shapes.add(new long[] {c});
        shapes.add(new long[] {4 * c, c});
        shapes.add(new long[] {4 * c});
        shapes.add(new long[] {c, 4 * c});
        shapes.add(new long[] {c});
      }
      if (s < depths.length - 1) {
        shapes.add(new long[] {4 * c});
        shapes.add(new long[] {4 * c});
        shapes.add(new long[] {2 * c, 4 * c});
        c *= 2;
        heads *= 2;
      }
    }
    shapes.add(new long[] {8192, c});
    shapes.add(new long[] {8192});
    return shapes;
  }

  /** A module holding parameters of the given shapes (trunc-normal 0.02). */
  private static final class ShapedParams extends Module {
    final List<Param> params = new ArrayList<>();

    ShapedParams(List<long[]> shapes) {
      for (int i = 0; i < shapes.size(); i++) {
        params.add(param("p" + i, new Shape(shapes.get(i)), Init.truncNormal(0.02)));
      }
    }
  }
}
