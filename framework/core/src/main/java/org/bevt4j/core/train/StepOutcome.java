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
 * @param dataWaitNanos time spent waiting for batches (mean over ranks when data-parallel)
 * @param commNanos time spent in cross-rank communication (statistics and gradient all-reduce; 0 in
 *     a single process)
 */
public record StepOutcome(
    boolean applied, double lr, double gradNorm, double lossScale, Map<StreamKind, StreamStats> streams, long dataWaitNanos, long commNanos) {

  /**
   * One stream's numbers for one optimizer step (all micro-batches).
   *
   * @param loss mean of the micro-batch losses (CE over masked tokens; over all ranks' micro-batches
   *     when data-parallel)
   * @param correct correctly predicted masked tokens (all ranks)
   * @param masked masked tokens (all ranks)
   * @param samples samples seen (all ranks)
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
