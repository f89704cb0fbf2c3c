package org.bevt4j.core.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The dense fp32 matmul rate ({@code n×n · n×n}, {@code 2n³} FLOPs) of the libtorch behind DJL on
 * a manager's device: the practical peak that model step rates are compared against ({@link
 * BenchRecord#ratio()}).
 *
 * <p>Method: warm-up runs (the first also sizes a run so that it lasts at least {@code
 * minRunSeconds}), then {@code runs} timed runs of {@code matmulsPerRun} back-to-back matmuls,
 * each ending with a read of one result element (which waits for asynchronous devices). Reported:
 * the median and the best run's GFLOP/s.
 */
public final class MatmulRate {
  private MatmulRate() {}

  /**
   * @param device the device measured
   * @param n matrix size
   * @param matmulsPerRun matmuls per timed run
   * @param runs timed runs
   * @param medianGflops median over runs
   * @param bestGflops fastest run
   */
  public record Result(
      String device, int n, int matmulsPerRun, int runs, double medianGflops, double bestGflops) {}

  /** 2048² × 2048², 2 warm-up runs, 5 timed runs of at least 0.2 s each. */
  public static Result measure(NDManager manager) {
    return measure(manager, 2048, 2, 5, 0.2);
  }

  /**
   * Measures {@code n×n} matmuls on {@code manager}'s device.
   *
   * @param warmup warm-up runs (>= 1; the first sizes the timed runs)
   * @param runs timed runs (>= 1)
   * @param minRunSeconds minimum duration of a timed run
   */
  public static Result measure(NDManager manager, int n, int warmup, int runs, double minRunSeconds) {
    return measure(manager, n, warmup, runs, minRunSeconds, DataType.FLOAT32);
  }

  /** As {@link #measure(NDManager, int, int, int, double)} with operands of {@code dtype} (e.g. FLOAT16). */
  public static Result measure(NDManager manager, int n, int warmup, int runs, double minRunSeconds, DataType dtype) {
    if (n < 1 || warmup < 1 || runs < 1 || !(minRunSeconds >= 0)) {
      throw new IllegalArgumentException(
          "need n >= 1, warmup >= 1, runs >= 1, minRunSeconds >= 0; got n=" + n + " warmup="
              + warmup + " runs=" + runs + " minRunSeconds=" + minRunSeconds);
    }
    double flop = 2.0 * n * (double) n * n;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray a = manager.randomUniform(-1f, 1f, new Shape(n, n), DataType.FLOAT32).toType(dtype, false);
      NDArray b = manager.randomUniform(-1f, 1f, new Shape(n, n), DataType.FLOAT32).toType(dtype, false);
      int perRun = 1;
      for (int i = 0; i < warmup; i++) {
        double s = timeRun(a, b, perRun);
        if (i == 0 && s > 0) {
          perRun = (int) Math.max(1, Math.min(10_000, Math.ceil(minRunSeconds / s)));
        }
      }
      double[] gflops = new double[runs];
      for (int r = 0; r < runs; r++) {
        gflops[r] = flop * perRun / timeRun(a, b, perRun) / 1e9;
      }
      double[] sorted = gflops.clone();
      Arrays.sort(sorted);
      double median = runs % 2 == 1 ? sorted[runs / 2]
          : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
      return new Result(manager.getDevice().toString(), n, perRun, runs, median, sorted[runs - 1]);
    }
  }

  private static double timeRun(NDArray a, NDArray b, int count) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      long t0 = System.nanoTime();
      NDArray c = null;
      for (int i = 0; i < count; i++) {
        if (c != null) {
          c.close();
        }
        c = a.matMul(b);
      }
      StepTimer.await(c);
      return (System.nanoTime() - t0) / 1e9;
    }
  }
}
