package org.bevt4j.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numbers of one log record (averaged over the steps since the previous record) or of one step.
 * Stream values are NaN when the stream is not trained in the stage.
 *
 * @param stage stage name
 * @param stageIndex zero-based stage index
 * @param stageCount number of stages
 * @param step global optimizer steps completed
 * @param stageStep optimizer steps completed in the stage
 * @param stageSteps planned optimizer steps of the stage
 * @param epoch fractional epochs of the stage's primary stream
 * @param loss weighted total loss
 * @param videoLoss video (MVM) loss
 * @param imageLoss image (MIM) loss
 * @param videoAccuracy video masked-token accuracy in [0, 1]
 * @param imageAccuracy image masked-token accuracy in [0, 1]
 * @param lr learning rate of the last step
 * @param gradNorm mean pre-clip global gradient norm
 * @param clipsPerSecond video clips per second
 * @param imagesPerSecond images per second
 * @param dataWait fraction of wall time spent waiting for data
 * @param secondsPerStep mean wall time per optimizer step
 * @param etaSeconds estimated seconds to the end of the stage
 * @param lossScale current fp16 loss scale (1 without)
 * @param skippedSteps steps skipped on overflow so far in the stage
 */
public record StepMetrics(
    String stage,
    int stageIndex,
    int stageCount,
    long step,
    long stageStep,
    long stageSteps,
    double epoch,
    double loss,
    double videoLoss,
    double imageLoss,
    double videoAccuracy,
    double imageAccuracy,
    double lr,
    double gradNorm,
    double clipsPerSecond,
    double imagesPerSecond,
    double dataWait,
    double secondsPerStep,
    double etaSeconds,
    double lossScale,
    long skippedSteps) {

  /** Column names of metrics records, in order (also the CSV header). */
  public static final String[] COLUMNS = {
    "step", "stage", "stage_step", "stage_steps", "epoch", "loss", "loss_video", "loss_image", "acc_video", "acc_image",
    "lr", "grad_norm", "clips_per_s", "images_per_s", "data_wait", "s_per_step", "eta_s", "loss_scale", "skipped_steps", "time"
  };

  /** A metrics record: finite values only, keys from {@link #COLUMNS}, plus a wall-clock timestamp. */
  public Map<String, Object> toRecord() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("step", step);
    r.put("stage", stage);
    r.put("stage_step", stageStep);
    r.put("stage_steps", stageSteps);
    put(r, "epoch", epoch);
    put(r, "loss", loss);
    put(r, "loss_video", videoLoss);
    put(r, "loss_image", imageLoss);
    put(r, "acc_video", videoAccuracy);
    put(r, "acc_image", imageAccuracy);
    put(r, "lr", lr);
    put(r, "grad_norm", gradNorm);
    put(r, "clips_per_s", clipsPerSecond);
    put(r, "images_per_s", imagesPerSecond);
    put(r, "data_wait", dataWait);
    put(r, "s_per_step", secondsPerStep);
    put(r, "eta_s", etaSeconds);
    put(r, "loss_scale", lossScale);
    r.put("skipped_steps", skippedSteps);
    r.put("time", System.currentTimeMillis() / 1000.0);
    return r;
  }

  private static void put(Map<String, Object> r, String k, double v) {
    if (Double.isFinite(v)) {
      r.put(k, v);
    }
  }
}
