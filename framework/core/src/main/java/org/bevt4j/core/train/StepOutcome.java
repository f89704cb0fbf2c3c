package org.bevt4j.core.train;

import java.util.Map;
import org.bevt4j.api.StreamKind;

/**
 * What one optimizer step did.
 *
 * @param applied whether the optimizer update was applied (false: skipped on fp16 overflow)
 * @param lr the learning rate used
 * @param gradNorm the global gradient norm before clipping (NaN when skipped)
 * @param lossScale the loss scale used (1 without loss scaling)
 * @param streams per-stream statistics of the step
 * @param dataWaitNanos time spent waiting for batches
 */
public record StepOutcome(
    boolean applied, double lr, double gradNorm, double lossScale, Map<StreamKind, StreamStats> streams, long dataWaitNanos) {

  /**
   * One stream's numbers for one optimizer step (all micro-batches).
   *
   * @param loss mean of the micro-batch losses (CE over masked tokens)
   * @param correct correctly predicted masked tokens
   * @param masked masked tokens
   * @param samples samples seen
   */
  public record StreamStats(double loss, long correct, long masked, long samples) {
    /** Masked-token accuracy in [0, 1] (NaN if nothing was masked). */
    public double accuracy() {
      return masked == 0 ? Double.NaN : correct / (double) masked;
    }
  }

  /** The weighted total loss {@code Σ w_s L_s}. */
  public double totalLoss(TrainSettings ts) {
    double t = 0;
    for (Map.Entry<StreamKind, StreamStats> e : streams.entrySet()) {
      t += ts.lossWeight(e.getKey()) * e.getValue().loss();
    }
    return t;
  }
}
