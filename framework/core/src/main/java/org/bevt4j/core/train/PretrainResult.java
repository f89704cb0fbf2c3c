package org.bevt4j.core.train;

import java.nio.file.Path;

/**
 * How a pretraining run ended.
 *
 * @param status completed, or stopped early on request (a checkpoint was written)
 * @param globalStep optimizer steps completed in the run (including resumed ones)
 * @param resumedFrom the checkpoint the run resumed from, or null
 * @param lastCheckpoint the newest checkpoint written by this run, or null
 * @param last the last logged metrics, or null
 */
public record PretrainResult(Status status, long globalStep, Path resumedFrom, Path lastCheckpoint, StepMetrics last) {
  /** Outcome. */
  public enum Status {
    COMPLETED,
    STOPPED
  }
}
