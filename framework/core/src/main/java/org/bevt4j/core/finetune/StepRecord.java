package org.bevt4j.core.finetune;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numbers of one training step, or means over the steps since the previous log record.
 *
 * @param step optimizer steps completed
 * @param totalSteps planned optimizer steps
 * @param epoch fractional epochs of the training data
 * @param loss mean label-smoothed cross-entropy
 * @param accuracy training top-1 on the batches (train mode: dropout and drop path active)
 * @param lr scheduled learning rate of the last step (layer scales not applied)
 * @param gradNorm mean pre-clip global gradient norm
 * @param clipsPerSecond training samples per second
 * @param dataWait fraction of wall time spent waiting for data
 * @param secondsPerStep mean wall time per optimizer step
 * @param etaSeconds estimated seconds to the end of training
 */
public record StepRecord(
    long step,
    long totalSteps,
    double epoch,
    double loss,
    double accuracy,
    double lr,
    double gradNorm,
    double clipsPerSecond,
    double dataWait,
    double secondsPerStep,
    double etaSeconds) {

  /** CSV columns of {@code metrics.csv} (train and val records share them). */
  public static final String[] COLUMNS = {
    "step", "kind", "epoch", "loss", "acc", "lr", "grad_norm", "clips_per_s", "data_wait", "s_per_step", "eta_s",
    "val_loss", "val_top1", "val_top5", "val_mean_class_acc", "val_count", "val_views", "val_seconds", "time"
  };

  /** The metrics record ({@code kind = train}); non-finite values are left out. */
  public Map<String, Object> toRecord() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("step", step);
    r.put("kind", "train");
    put(r, "epoch", epoch);
    put(r, "loss", loss);
    put(r, "acc", accuracy);
    put(r, "lr", lr);
    put(r, "grad_norm", gradNorm);
    put(r, "clips_per_s", clipsPerSecond);
    put(r, "data_wait", dataWait);
    put(r, "s_per_step", secondsPerStep);
    put(r, "eta_s", etaSeconds);
    r.put("time", System.currentTimeMillis() / 1000.0);
    return r;
  }

  private static void put(Map<String, Object> r, String k, double v) {
    if (Double.isFinite(v)) {
      r.put(k, v);
    }
  }

  /**
   * The log line, e.g.
   * {@code step 120/600 (ep 3) | loss 1.91 | acc 41.2% | lr 2.9e-4 | grad 3.21 | 14 clips/s | data 2% | ETA 0:04:10}.
   */
  public String line() {
    StringBuilder sb = new StringBuilder();
    sb.append("step ").append(step).append('/').append(totalSteps);
    sb.append(" (ep ").append((long) Math.floor(epoch) + 1).append(')');
    sb.append(" | loss ").append(num(loss));
    if (Double.isFinite(accuracy)) {
      sb.append(" | acc ").append(String.format(java.util.Locale.ROOT, "%.1f%%", 100 * accuracy));
    }
    sb.append(" | lr ").append(lr(lr));
    if (Double.isFinite(gradNorm)) {
      sb.append(" | grad ").append(num(gradNorm));
    }
    if (Double.isFinite(clipsPerSecond)) {
      sb.append(" | ").append(clipsPerSecond >= 10 ? String.format(java.util.Locale.ROOT, "%.0f", clipsPerSecond)
          : String.format(java.util.Locale.ROOT, "%.2g", clipsPerSecond)).append(" clips/s");
    }
    if (Double.isFinite(dataWait)) {
      sb.append(" | data ").append(String.format(java.util.Locale.ROOT, "%.0f%%", 100 * dataWait));
    }
    if (Double.isFinite(etaSeconds)) {
      sb.append(" | ETA ").append(org.bevt4j.core.train.LogLine.duration(etaSeconds));
    }
    return sb.toString();
  }

  private static String num(double d) {
    return Double.isFinite(d) ? String.format(java.util.Locale.ROOT, Math.abs(d) >= 100 ? "%.1f" : "%.3g", d) : String.valueOf(d);
  }

  private static String lr(double d) {
    if (d == 0) {
      return "0";
    }
    if (Math.abs(d) < 0.01) {
      return String.format(java.util.Locale.ROOT, "%.1e", d).replace("e-0", "e-");
    }
    return String.format(java.util.Locale.ROOT, "%.3g", d);
  }
}
