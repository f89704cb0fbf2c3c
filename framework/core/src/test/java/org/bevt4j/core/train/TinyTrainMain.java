package org.bevt4j.core.train;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.nio.file.Path;

/**
 * A separate-process pretraining run for the kill tests:
 * {@code <runDir> <steps> <resume> <sleepMsPerStep> [checkpointEvery]}.
 * Prints {@code STEP n} after every step; goes through {@link Pretrainer#run(Config, PretrainComponents,
 * NDManager, TrainingListener...)}, the main-friendly entry with the SIGTERM hook.
 */
public final class TinyTrainMain {
  private TinyTrainMain() {}

  static String overrides(long steps) {
    return "bevt.train { stages = [{ name = j, streams = [video, image], steps = " + steps + " }], accumulate = 2, checkpoint-every = 2,"
        + " keep-checkpoints = 2, log-every = 1 }";
  }

  public static void main(String[] args) {
    Path run = Path.of(args[0]);
    long steps = Long.parseLong(args[1]);
    long sleep = Long.parseLong(args[3]);
    String every = args.length > 4 ? "\nbevt.train.checkpoint-every = " + args[4] : "";
    Config cfg = Tiny.config(run, overrides(steps) + "\nbevt.run.resume = " + args[2] + every);
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, 21, 6, 8);
      PretrainResult r = Pretrainer.run(cfg, c, m, new TrainingListener() {
        @Override
        public void onStep(StepMetrics s) {
          System.out.println("STEP " + s.step());
          System.out.flush();
          try {
            Thread.sleep(sleep);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
      System.out.println("DONE " + r.status() + " " + r.globalStep());
    }
  }
}
