package org.bevt4j.core;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Progress of long tasks (a training stage, an evaluation pass, a benchmark). The CLI shows a
 * progress bar with throughput and ETA on a terminal and periodic log lines otherwise; the trainer
 * only reports.
 *
 * <pre>{@code
 * try (ProgressListener.Task t = progress.start("stage joint", startStep, totalSteps, "step")) {
 *   for (long step = startStep + 1; step <= totalSteps; step++) {
 *     ...
 *     t.update(step);
 *     t.message("loss 6.91 | lr 4.9e-4");
 *   }
 * }
 * }</pre>
 */
public interface ProgressListener {
  /**
   * Starts a task.
   *
   * @param name shown before the bar / at the start of each line
   * @param initial units already done (a resumed run starts at its step; throughput counts from here)
   * @param total units in all ({@code <= 0}: unknown)
   * @param unit what a unit is ({@code step}, {@code clip}, {@code batch})
   */
  Task start(String name, long initial, long total, String unit);

  /** A task starting from zero. */
  default Task start(String name, long total, String unit) {
    return start(name, 0, total, unit);
  }

  /** One running task. */
  interface Task extends AutoCloseable {
    /** Sets the number of completed units (absolute). */
    void update(long done);

    /** Status shown after the bar or at the end of the log line (e.g. the loss). */
    void message(String message);

    /** Ends the task (the display shows the final state). */
    @Override
    void close();
  }

  /** Shows nothing. */
  ProgressListener NONE =
      (name, initial, total, unit) ->
          new Task() {
            @Override
            public void update(long done) {}

            @Override
            public void message(String message) {}

            @Override
            public void close() {}
          };

  /** Writes a line with rate and ETA to {@code log} at most every {@code every}, and at the end. */
  static ProgressListener logging(Logger log, Duration every) {
    return new LoggingProgressListener(log, every);
  }
}
