package org.bevt4j.core.train;

import org.bevt4j.api.Settings;
import org.bevt4j.core.optim.LrSchedule;

/**
 * {@code bevt.train.schedule}: warm-up then annealing, per optimizer step.
 *
 * @param type the annealing curve
 * @param warmupEpochs warm-up length in epochs of the stage's primary stream
 * @param warmupSteps warm-up length in optimizer steps, overriding {@code warmupEpochs} when >= 0
 * @param warmupStartFactor the warm-up starts at this fraction of the scheduled rate
 * @param minLr the final learning rate
 */
public record ScheduleSettings(LrSchedule.Type type, double warmupEpochs, long warmupSteps, double warmupStartFactor, double minLr) {
  /** Parses a schedule block ({@code bevt.train.schedule}, {@code bevt.finetune.schedule}). */
  public static ScheduleSettings parse(Settings s) {
    LrSchedule.Type type = LrSchedule.Type.fromConfigName(s.oneOf("type", "cosine", "linear", "constant"));
    double warmupEpochs = s.numberIn("warmup-epochs", 0, 1e9);
    long warmupSteps = -1;
    if (!s.isNull("warmup-steps")) {
      warmupSteps = s.longValue("warmup-steps");
      if (warmupSteps < 0) {
        throw s.invalid("warmup-steps", "value " + warmupSteps + " is out of range", "must be >= 0 (or null to use warmup-epochs)");
      }
    }
    double start = s.numberIn("warmup-start-factor", 0, 1);
    double minLr = s.numberIn("min-lr", 0, 10);
    return new ScheduleSettings(type, warmupEpochs, warmupSteps, start, minLr);
  }

  /** The schedule of a stage of {@code totalSteps} optimizer steps with {@code stepsPerEpoch}. */
  public LrSchedule build(double baseLr, long totalSteps, long stepsPerEpoch) {
    long warm = warmupSteps >= 0 ? warmupSteps : Math.round(warmupEpochs * stepsPerEpoch);
    return new LrSchedule(type, baseLr, minLr, totalSteps, warm, warmupStartFactor);
  }
}
