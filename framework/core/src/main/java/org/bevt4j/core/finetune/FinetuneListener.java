package org.bevt4j.core.finetune;

import java.nio.file.Path;

/**
 * Progress callbacks of the {@link Finetuner}, for terminals (progress bars) and tests. Called on
 * the training thread; keep them fast. Every method has an empty default.
 */
public interface FinetuneListener {
  /** Training begins (or resumes at {@code startStep}). */
  default void onStart(long startStep, long totalSteps) {}

  /** After every optimizer step, with that step's own numbers. */
  default void onStep(StepRecord step) {}

  /** Every {@code log-every} steps (and at the end), with the window's means and the log line. */
  default void onLog(StepRecord window, String line) {}

  /** A validation pass finished. */
  default void onEvaluation(EvalResult result) {}

  /** A checkpoint was written. */
  default void onCheckpoint(Path dir, long step) {}

  /** Training ended (completed or stopped). */
  default void onEnd(FinetuneResult result) {}
}
