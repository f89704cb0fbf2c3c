package org.bevt4j.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link TrainingHook} sees.
 *
 * @param phase when it fires
 * @param stage the training stage name
 * @param step global optimizer step (0 before the first)
 * @param totalSteps planned steps of the stage
 * @param metrics the latest logged metrics (may be empty)
 * @param runDir the run directory
 */
public record TrainingEvent(Phase phase, String stage, long step, long totalSteps, Map<String, Object> metrics, Path runDir) {
  /** Hook points of the loop. */
  public enum Phase {
    RUN_START,
    STAGE_START,
    STEP_END,
    CHECKPOINT_SAVED,
    STAGE_END,
    RUN_END
  }
}
