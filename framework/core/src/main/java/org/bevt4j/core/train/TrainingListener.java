package org.bevt4j.core.train;

import java.nio.file.Path;

/**
 * Progress callbacks of the {@link Pretrainer}, for terminals (progress bars) and tests. Called on
 * the training thread; keep them fast. Every method has an empty default.
 */
public interface TrainingListener {
  /** A stage begins (or resumes at {@code startStep}). */
  default void onStageStart(String stage, int index, int count, long startStep, long totalSteps) {}

  /** After every optimizer step, with that step's own numbers. */
  default void onStep(StepMetrics step) {}

  /** Every {@code log-every} steps (and at stage end), with the window's means and the log line. */
  default void onLog(StepMetrics window, String line) {}

  /** A checkpoint was written. */
  default void onCheckpoint(Path dir, long step) {}

  /** A stage finished. */
  default void onStageEnd(String stage, int index) {}
}
