package org.bevt4j.core.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bevt4j.api.Settings;
import org.bevt4j.api.StreamKind;

/**
 * The validated {@code bevt.train} tree, built eagerly so that every type or range error surfaces
 * at start-up naming the key, its origin, the value and the constraint.
 *
 * @param stages the stages in order
 * @param videoLossWeight weight of the video (MVM) loss
 * @param imageLossWeight weight of the image (MIM) loss
 * @param videoBatch clips per micro-batch
 * @param imageBatch images per micro-batch
 * @param optimizer AdamW settings
 * @param schedule LR schedule settings
 * @param clipGradNorm global-norm clipping threshold (0 = off)
 * @param accumulate micro-batches per optimizer step
 * @param precision compute precision
 * @param fp16InitialScale initial dynamic loss scale (fp16)
 * @param fp16GrowthInterval good steps between scale growths (fp16)
 * @param device where to train
 * @param seed the run seed
 * @param logEvery optimizer steps between log lines / metrics records
 * @param checkpointEvery optimizer steps between checkpoints (0 = stage end and stop only)
 * @param keepCheckpoints how many checkpoints to keep
 */
public record TrainSettings(
    List<StageSettings> stages,
    double videoLossWeight,
    double imageLossWeight,
    int videoBatch,
    int imageBatch,
    OptimizerSettings optimizer,
    ScheduleSettings schedule,
    double clipGradNorm,
    int accumulate,
    Precision precision,
    double fp16InitialScale,
    int fp16GrowthInterval,
    DeviceChoice device,
    long seed,
    int logEvery,
    int checkpointEvery,
    int keepCheckpoints) {

  /** Compute precision. */
  public enum Precision {
    FP32,
    FP16
  }

  /** Device choice; AUTO picks the first GPU when one is visible. */
  public enum DeviceChoice {
    AUTO,
    CPU,
    GPU
  }

  public TrainSettings {
    stages = List.copyOf(stages);
  }

  /** Loss weight of a stream. */
  public double lossWeight(StreamKind s) {
    return s == StreamKind.VIDEO ? videoLossWeight : imageLossWeight;
  }

  /** Micro-batch size of a stream. */
  public int batchSize(StreamKind s) {
    return s == StreamKind.VIDEO ? videoBatch : imageBatch;
  }

  /** Builds from the root config (reads {@code bevt.train}). */
  public static TrainSettings from(Config root) {
    Settings s = Settings.of(root, "").sub("bevt.train");
    return parse(s);
  }

  /** Parses a {@code bevt.train}-level settings view. */
  public static TrainSettings parse(Settings s) {
    List<StageSettings> stages = parseStages(s);
    Settings lw = s.sub("loss-weights");
    double wImage = lw.numberIn("image", 0, 1e6);
    double wVideo = lw.numberIn("video", 0, 1e6);
    Settings bs = s.sub("batch-size");
    int bVideo = bs.intIn("video", 1, 1 << 20);
    int bImage = bs.intIn("image", 1, 1 << 20);
    OptimizerSettings opt = OptimizerSettings.parse(s.sub("optimizer"));
    ScheduleSettings sched = ScheduleSettings.parse(s.sub("schedule"));
    if (sched.minLr() > opt.lr()) {
      throw s.sub("schedule").invalid("min-lr", "min-lr " + sched.minLr() + " exceeds optimizer.lr " + opt.lr(), "must be <= bevt.train.optimizer.lr");
    }
    double clip = s.numberIn("clip-grad-norm", 0, 1e12);
    int accumulate = s.intIn("accumulate", 1, 4096);
    Precision precision = Precision.valueOf(s.oneOf("precision", "fp32", "fp16").toUpperCase(Locale.ROOT));
    Settings fp16 = s.sub("fp16");
    double initScale = fp16.numberIn("initial-scale", 1, 1e30);
    int growthInterval = fp16.intIn("growth-interval", 1, Integer.MAX_VALUE);
    DeviceChoice device = DeviceChoice.valueOf(s.oneOf("device", "auto", "cpu", "gpu").toUpperCase(Locale.ROOT));
    long seed = s.longValue("seed");
    int logEvery = s.intIn("log-every", 1, Integer.MAX_VALUE);
    int ckptEvery = s.intIn("checkpoint-every", 0, Integer.MAX_VALUE);
    int keep = s.intIn("keep-checkpoints", 1, 10000);
    return new TrainSettings(
        stages, wVideo, wImage, bVideo, bImage, opt, sched, clip, accumulate, precision, initScale,
        growthInterval, device, seed, logEvery, ckptEvery, keep);
  }

  private static List<StageSettings> parseStages(Settings s) {
    if (s.isNull("stages")) {
      throw s.invalid("stages", "no training stages given", "e.g. [{ name = joint, streams = [video, image], epochs = 150 }]");
    }
    ConfigValue v = s.config().getValue("stages");
    if (v.valueType() != ConfigValueType.LIST) {
      throw s.invalid("stages", "expected a list of stage objects, found " + v.valueType().name().toLowerCase(Locale.ROOT), null);
    }
    ConfigList list = (ConfigList) v;
    if (list.isEmpty()) {
      throw s.invalid("stages", "no training stages given", "give at least one stage");
    }
    List<StageSettings> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      ConfigValue e = list.get(i);
      String path = s.full("stages") + "[" + i + "]";
      if (e.valueType() != ConfigValueType.OBJECT) {
        throw s.invalid("stages", "element " + i + " is not an object: " + e.render(), "{ name = ..., streams = [...], epochs = ... }");
      }
      Config ec = ((ConfigObject) e).toConfig();
      Settings es = Settings.of(ec, path);
      StageSettings st = StageSettings.parse(es);
      if (!names.add(st.name())) {
        throw es.invalid("name", "duplicate stage name \"" + st.name() + "\"", "stage names must be unique");
      }
      if (i == 0 && st.init() == StageSettings.Init.INFLATE_FROM_PREVIOUS) {
        throw es.invalid("init", "the first stage cannot use inflate-from-previous", "use none or a weights file");
      }
      out.add(st);
    }
    return out;
  }
}
