package org.bevt4j.core.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.management.ManagementFactory;
import org.bevt4j.core.plugin.PluginHost;

/**
 * The matmul yardstick of the step benchmark: {@link MatmulRate} (wall-clock GFLOP/s, median of
 * timed runs; 2048² as {@link MicroBenchmarks#matmul}) and the same fp32 matmul's work per second of
 * process CPU time, which a busy shared machine disturbs much less.
 *
 * @param record the wall-clock matmul record
 * @param cpuGflops GFLOP per CPU-second (all threads of the process counted)
 */
record MatmulCpu(BenchRecord record, double cpuGflops) {
  private static final int COUNT = 8;

  /** Measures {@code n×n} matmuls (2 warm-up runs, 5 timed runs of at least 0.2 s) on {@code device}. */
  static MatmulCpu measure(Device device, int n) {
    try (NDManager m = Engine.getEngine(PluginHost.ENGINE).newBaseManager(device)) {
      MatmulRate.Result r = MatmulRate.measure(m, n, 2, 5, 0.2);
      double gflop = 2.0 * n * (double) n * n / 1e9;
      BenchRecord wall = BenchRecord.of("matmul " + n + "^2 fp32 (" + r.device() + ")", gflop / r.medianGflops() * 1000, gflop,
          r.medianGflops()).withExtra("best_gflops", r.bestGflops());
      return new MatmulCpu(wall, cpuRate(m, n));
    }
  }

  /**
   * CPU time per allocating tiny op ({@code add} of 1-element arrays inside an {@link NDScope}, the
   * per-call JNI cost), in µs: the median of 5 runs of {@code ops} calls.
   */
  static double tinyOpCpuMicros(Device device, int ops) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (NDManager m = Engine.getEngine(PluginHost.ENGINE).newBaseManager(device);
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray a = m.ones(new Shape(1));
      NDArray b = m.ones(new Shape(1));
      double[] us = new double[5];
      for (int r = -1; r < us.length; r++) {
        long c0 = os.getProcessCpuTime();
        try (NDScope s = new NDScope()) {
          s.suppressNotUsedWarning();
          for (int i = 0; i < ops; i++) {
            a.add(b);
          }
        }
        if (r >= 0) {
          us[r] = (os.getProcessCpuTime() - c0) / 1e3 / ops;
        }
      }
      return StepTimer.Stats.of(us).medianMs();
    }
  }

  private static double cpuRate(NDManager m, int n) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray a = m.randomUniform(-1f, 1f, new Shape(n, n), DataType.FLOAT32);
      NDArray b = m.randomUniform(-1f, 1f, new Shape(n, n), DataType.FLOAT32);
      StepTimer.await(a.matMul(b));
      long cpu0 = os.getProcessCpuTime();
      NDArray c = null;
      for (int i = 0; i < COUNT; i++) {
        if (c != null) {
          c.close();
        }
        c = a.matMul(b);
      }
      StepTimer.await(c);
      double seconds = (os.getProcessCpuTime() - cpu0) / 1e9;
      return 2.0 * n * (double) n * n * COUNT / 1e9 / seconds;
    }
  }
}
