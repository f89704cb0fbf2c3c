package org.bevt4j.dalle;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of the full-size DALL-E encoder (n_hid 256, vocab 8192, random weights) at 112x112.
 * Not a unit test: surefire's default includes skip it and it only runs with
 * {@code -Dbevt4j.bench=true -Dtest=DalleThroughputBenchmark}. Batch, iterations and size via
 * {@code bevt4j.bench.batch}, {@code .iters}, {@code .size}.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "bevt4j.bench", matches = "true")
class DalleThroughputBenchmark {
  @Test
  void fullSizeEncoder() {
    int batch = Integer.getInteger("bevt4j.bench.batch", 16);
    int iters = Integer.getInteger("bevt4j.bench.iters", 3);
    int size = Integer.getInteger("bevt4j.bench.size", 112);
    try (NDManager m = NDManager.newBaseManager()) {
      DalleTokenizer t = DalleTokenizer.create(DalleSettings.defaults(), m);
      NDArray x = m.randomUniform(0f, 1f, new Shape(batch, 3, size, size));
      try (NDScope s = new NDScope()) {
        s.suppressNotUsedWarning();
        assertThat(t.encode(x).getShape()).isEqualTo(new Shape(batch, size / 8, size / 8));
      }
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long best = Long.MAX_VALUE;
      long total = 0;
      for (int i = 0; i < iters; i++) {
        long t0 = System.nanoTime();
        try (NDScope s = new NDScope()) {
          s.suppressNotUsedWarning();
          t.encode(x).toLongArray();
        }
        long dt = System.nanoTime() - t0;
        best = Math.min(best, dt);
        total += dt;
      }
      double cpuPerImage = (os.getProcessCpuTime() - cpu0) / 1e9 / (batch * iters);
      System.out.printf(
          "BENCH %s cpu: %.2f CPU-s per image (process CPU time, all threads); system load average %.1f on %d cores%n",
          "dalle", cpuPerImage, os.getSystemLoadAverage(), os.getAvailableProcessors());
      System.out.printf(
          "BENCH dalle n_hid=256 vocab=8192 %dx%d batch=%d threads=%d: mean %.2f img/s, best %.2f img/s (%d timed batches, %.1f M params)%n",
          size, size, batch, JniUtils.getNumThreads(), batch * iters / (total / 1e9), batch / (best / 1e9), iters,
          t.encoder().parameterCount() / 1e6);
    }
  }
}
