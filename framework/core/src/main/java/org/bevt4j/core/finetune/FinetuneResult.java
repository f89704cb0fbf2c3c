package org.bevt4j.core.finetune;

import java.nio.file.Path;

/**
 * The outcome of {@link Finetuner#run()}.
 *
 * @param status completed, or stopped on request (a checkpoint was written)
 * @param step optimizer steps completed
 * @param totalSteps planned optimizer steps
 * @param resumedFrom the checkpoint the run resumed from, or null
 * @param lastCheckpoint the newest checkpoint written, or null
 * @param finalEval the final validation (null when stopped early)
 * @param lastTrain the last logged training record, or null
 * @param report {@code finetune.json} (null when stopped early)
 */
public record FinetuneResult(
    Status status, long step, long totalSteps, Path resumedFrom, Path lastCheckpoint, EvalResult finalEval, StepRecord lastTrain, Path report) {
  /** How the run ended. */
  public enum Status {
    COMPLETED,
    STOPPED
  }
}
