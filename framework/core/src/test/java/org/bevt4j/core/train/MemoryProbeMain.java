package org.bevt4j.core.train;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test: measures the resident set size of a tiny pretraining run over many steps (memory must
 * stay flat with one NDScope per micro-batch). Usage: {@code MemoryProbeMain <runDir> <steps>}.
 */
public final class MemoryProbeMain {
  private MemoryProbeMain() {}

  static long rssKb() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  public static void main(String[] args) {
    Path run = Path.of(args[0]);
    long steps = Long.parseLong(args[1]);
    Config cfg = Tiny.config(run,
        "bevt.train { stages = [{ name = j, streams = [video, image], steps = " + steps + " }], accumulate = 2, log-every = 100,"
            + " checkpoint-every = 250, optimizer.lr = 1e-3 }");
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, 1, 16, 32);
      long t0 = System.nanoTime();
      Pretrainer.run(cfg, c, m, new TrainingListener() {
        @Override
        public void onStep(StepMetrics s) {
          if (s.step() == 1 || s.step() == 10 || s.step() % 50 == 0) {
            Runtime rt = Runtime.getRuntime();
            double rss = rssKb() / 1024.0;
            double committed = rt.totalMemory() / 1048576.0;
            System.out.printf("step %5d  rss %7.1f MB  heap committed %6.1f MB  rss-heap %7.1f MB  arrays %d  loss %.9f  %.1f s%n", s.step(), rss,
                committed, rss - committed, m.getManagedArrays().size(), s.loss(), (System.nanoTime() - t0) / 1e9);
          }
        }
      });
    }
  }
}
