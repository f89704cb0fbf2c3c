package org.bevt4j.core.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Locale;
import org.bevt4j.nn.RelativePositionBias;
import org.bevt4j.nn.RelativePositionIndex;
import org.bevt4j.nn.WindowCaches;
import org.bevt4j.nn.fused.Attention;
import org.bevt4j.nn.fused.TorchScriptOps;

/**
 * Ready-made micro-benchmarks returning {@link BenchRecord}s: the matmul yardstick, window
 * attention forward+backward (composite vs fused), and the per-call cost of tiny ops (JNI and
 * TorchScript-bridge overhead). Intended for the {@code bench} command and for ad-hoc reports; no
 * result is asserted anywhere.
 */
public final class MicroBenchmarks {
  private MicroBenchmarks() {}

  /**
   * A Swin-style window-attention shape.
   *
   * @param batch clips (B)
   * @param windows windows per clip (nW); q, k, v are {@code (B·nW, heads, tokens, headDim)}
   * @param heads heads per window
   * @param tokens tokens per window (N, e.g. 8·7·7 = 392)
   * @param headDim head dim (d)
   * @param shifted whether a shifted-window mask {@code (nW, N, N)} is added (needs a bias)
   * @param bias the relative-position bias {@code (heads, N, N)}: none, frozen or trainable
   */
  public record WindowShape(
      int batch, int windows, int heads, int tokens, int headDim, boolean shifted, Bias bias) {
    /** Validates sizes and the bias/shift combination. */
    public WindowShape {
      if (batch < 1 || windows < 1 || heads < 1 || tokens < 1 || headDim < 1) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "window shape sizes must be >= 1: batch=%d windows=%d heads=%d tokens=%d headDim=%d",
            batch, windows, heads, tokens, headDim));
      }
      if (shifted && bias == Bias.NONE) {
        throw new IllegalArgumentException("a shifted window shape needs a relative bias");
      }
    }

    /** Forward FLOPs of the two attention products. */
    public long forwardFlops() {
      return FlopCount.attention((long) batch * windows, heads, tokens, tokens, headDim, headDim);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "B*nW=%dx%d H=%d N=%d d=%d bias=%s%s", batch, windows,
          heads, tokens, headDim, bias.name().toLowerCase(Locale.ROOT), shifted ? " shifted" : "");
    }
  }

  /** How the relative-position bias takes part. */
  public enum Bias {
    /** No bias (TimeSformer-style attention). */
    NONE,
    /** A bias without gradient (inference, frozen model). */
    FROZEN,
    /** A bias that receives a gradient (Swin training: the table is a parameter). */
    TRAINABLE
  }

  /** The 2048² fp32 matmul rate as a record (ratio 1 by definition). */
  public static BenchRecord matmul(NDManager manager) {
    MatmulRate.Result r = MatmulRate.measure(manager);
    double gflop = 2.0 * r.n() * (double) r.n() * r.n() / 1e9;
    return BenchRecord.of("matmul " + r.n() + "^2 fp32 (" + r.device() + ")",
            gflop / r.medianGflops() * 1000, gflop, r.medianGflops())
        .withExtra("best_gflops", r.bestGflops());
  }

  /**
   * Window attention forward + backward into q, k, v (and a trainable bias) through {@link
   * Attention#windowAttention}, on random inputs. Opens a {@code GradientCollector}, so it must
   * not run while another one is open (DJL allows one per JVM).
   */
  public static BenchRecord windowAttention(
      NDManager manager, Attention.Mode mode, WindowShape s, int warmup, int iterations,
      double matmulGflops) {
    long bnw = (long) s.batch() * s.windows();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      Shape qs = new Shape(bnw, s.heads(), s.tokens(), s.headDim());
      NDArray q = leaf(manager, qs);
      NDArray k = leaf(manager, qs);
      NDArray v = leaf(manager, qs);
      NDArray rel = s.bias() == Bias.NONE ? null
          : manager.randomNormal(0f, 1f, new Shape(s.heads(), s.tokens(), s.tokens()),
              DataType.FLOAT32);
      if (s.bias() == Bias.TRAINABLE) {
        rel.setRequiresGradient(true);
      }
      NDArray mask = s.shifted()
          ? manager.randomUniform(0f, 1f, new Shape(s.windows(), s.tokens(), s.tokens()))
              .lt(0.3f).toType(DataType.FLOAT32, false).mul(-100f)
          : null;
      double scale = 1.0 / Math.sqrt(s.headDim());
      StepTimer.Result t = new StepTimer(warmup, iterations).run(laps -> {
        try (NDScope step = new NDScope();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          step.suppressNotUsedWarning();
          NDArray y = Attention.windowAttention(q, k, v, rel, mask, scale, mode);
          StepTimer.await(y);
          laps.mark("forward");
          gc.backward(y.sum());
          StepTimer.await(q.getGradient());
          laps.mark("backward");
        }
      });
      double gflop = FlopCount.trainingStep(s.forwardFlops()) / 1e9;
      return BenchRecord.of("attention " + mode.configName() + " fwd+bwd " + s, t.stepMs(), gflop,
              matmulGflops)
          .withExtra("forward_ms", t.phaseMs("forward"))
          .withExtra("backward_ms", t.phaseMs("backward"));
    }
  }

  /**
   * The relative-position bias {@code table[index[:n, :n]]} of a window-attention layer, forward
   * and backward into the table, through one embedding lookup ({@code factorized = false}) or
   * the per-axis lookups ({@link RelativePositionBias#factorized}). Opens a {@code
   * GradientCollector} (see {@link #windowAttention}).
   */
  public static BenchRecord relativeBias(
      NDManager manager, int[] window, int n, int heads, boolean factorized, int warmup, int iterations) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      WindowCaches caches = new WindowCaches(() -> manager);
      NDArray table = leaf(manager, new Shape(RelativePositionIndex.tableRows(window), heads));
      NDArray index = caches.biasIndex(window, n);
      NDArray upstream = manager.randomNormal(0f, 1f, new Shape(heads, n, n), DataType.FLOAT32);
      StepTimer.Result t = new StepTimer(warmup, iterations).run(laps -> {
        try (NDScope step = new NDScope();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          step.suppressNotUsedWarning();
          NDArray bias = factorized
              ? RelativePositionBias.factorized(table, window, n, heads, caches)
              : RelativePositionBias.gathered(table, index, n, heads);
          StepTimer.await(bias);
          laps.mark("forward");
          gc.backward(bias.mul(upstream).sum());
          StepTimer.await(table.getGradient());
          laps.mark("backward");
        }
      });
      return new BenchRecord(String.format(Locale.ROOT, "relative bias %s window=%s n=%d heads=%d",
              factorized ? "factorized" : "lookup", java.util.Arrays.toString(window), n, heads),
              t.stepMs(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, java.util.Map.of())
          .withExtra("forward_ms", t.phaseMs("forward"))
          .withExtra("backward_ms", t.phaseMs("backward"))
          .withExtra("min_ms", t.step().minMs());
    }
  }

  /**
   * Per-call cost of tiny ops: an allocating {@code add} inside an {@link NDScope}, an in-place
   * {@code addi}, and a TorchScript-bridge call ({@code to_f32}) on 1-element arrays. The record's
   * step time is the {@code add} time; extras give each in microseconds.
   */
  public static BenchRecord tinyOpOverhead(NDManager manager, int opsPerRun, int runs) {
    if (opsPerRun < 1 || runs < 1) {
      throw new IllegalArgumentException("opsPerRun and runs must be >= 1");
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray a = manager.ones(new Shape(1));
      NDArray b = manager.ones(new Shape(1));
      TorchScriptOps ops = TorchScriptOps.get(manager.getDevice());
      StepTimer timer = new StepTimer(1, runs);
      double add = timer.run(laps -> {
        try (NDScope s = new NDScope()) {
          s.suppressNotUsedWarning();
          for (int i = 0; i < opsPerRun; i++) {
            a.add(b);
          }
        }
      }).stepMs() / opsPerRun;
      double addi = timer.run(laps -> {
        for (int i = 0; i < opsPerRun; i++) {
          a.addi(b);
        }
      }).stepMs() / opsPerRun;
      double bridge = timer.run(laps -> {
        try (NDScope s = new NDScope()) {
          s.suppressNotUsedWarning();
          for (int i = 0; i < opsPerRun; i++) {
            ops.toFloat(b);
          }
        }
      }).stepMs() / opsPerRun;
      return new BenchRecord("tiny op overhead (" + manager.getDevice() + ")", add, Double.NaN,
              Double.NaN, Double.NaN, Double.NaN, java.util.Map.of())
          .withExtra("add_us", add * 1000)
          .withExtra("addi_us", addi * 1000)
          .withExtra("torchscript_call_us", bridge * 1000);
    }
  }

  private static NDArray leaf(NDManager manager, Shape shape) {
    NDArray x = manager.randomNormal(0f, 1f, shape, DataType.FLOAT32);
    x.setRequiresGradient(true);
    return x;
  }
}
