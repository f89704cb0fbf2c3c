package org.bevt4j.core.finetune;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.Locale;
import org.bevt4j.api.Settings;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.StreamSettings;
import org.bevt4j.core.train.OptimizerSettings;
import org.bevt4j.core.train.RunSettings;
import org.bevt4j.core.train.ScheduleSettings;

/**
 * The validated {@code bevt.finetune} tree (see the core {@code reference.conf} for every key),
 * built eagerly so that a type or range error surfaces at start-up naming the key, its origin, the
 * value and the constraint.
 *
 * @param initFrom backbone initialisation path as written in the config (null = none)
 * @param initStrict whether backbone parameters missing from {@code initFrom} are an error
 * @param numClasses head outputs; 0 = the training dataset's class count
 * @param epochs training length in epochs of the training data (used when {@code steps < 0})
 * @param steps training length in optimizer steps, or -1
 * @param accumulate micro-batches per optimizer step
 * @param optimizer AdamW settings (lr, betas, eps, weight decay and exemptions, layer decay)
 * @param patchMergingIsLayer whether a Swin {@code layers.<i>.downsample} counts as its own layer
 * @param schedule warm-up and annealing
 * @param labelSmoothing cross-entropy label smoothing in [0, 1)
 * @param headDropout dropout before {@code fc_cls}
 * @param pooling how the final feature map becomes one vector
 * @param dropPath the backbone's drop-path rate override, or null to keep the backbone's
 * @param clipGradNorm global-norm clipping threshold (0 = off)
 * @param seed the run seed
 * @param logEvery optimizer steps between log lines / metrics records
 * @param evalEvery optimizer steps between validations (0 = only at the end)
 * @param checkpointEvery optimizer steps between checkpoints (0 = only at the end and on stop)
 * @param keepCheckpoints how many checkpoints to keep
 * @param testClips clips per validation video
 * @param testCrops crops per clip (1 or 3)
 * @param maxViewsPerForward views per backbone forward during validation
 * @param trainData the training data block (shape of {@code bevt.data.video})
 * @param valData the validation data block, eval mode, with the test views applied
 * @param valSplit fraction of the training data held out for validation instead of {@code valData}
 * @param run the fine-tuning run directory and resume mode ({@code dir} relative to the working
 *     directory)
 */
public record FinetuneSettings(
    String initFrom,
    boolean initStrict,
    int numClasses,
    double epochs,
    long steps,
    int accumulate,
    OptimizerSettings optimizer,
    boolean patchMergingIsLayer,
    ScheduleSettings schedule,
    double labelSmoothing,
    double headDropout,
    Pooling pooling,
    Double dropPath,
    double clipGradNorm,
    long seed,
    int logEvery,
    int evalEvery,
    int checkpointEvery,
    int keepCheckpoints,
    int testClips,
    int testCrops,
    int maxViewsPerForward,
    Config trainData,
    Config valData,
    double valSplit,
    RunSettings run) {

  /** The config path of the block. */
  public static final String PATH = "bevt.finetune";

  /** How the head pools the backbone's final feature map. */
  public enum Pooling {
    /** Mean over spatial positions, or over the tokens after the prefix (class) tokens. */
    MEAN,
    /** The first prefix token of a token sequence. */
    CLS
  }

  /** Reads {@code bevt.finetune} of a resolved root config. */
  public static FinetuneSettings from(Config root) {
    return parse(Settings.of(root, "").sub(PATH));
  }

  /** Parses a {@code bevt.finetune}-level settings view. */
  public static FinetuneSettings parse(Settings s) {
    String initFrom = s.optString("init-from");
    if (initFrom != null && initFrom.isBlank()) {
      throw s.invalid("init-from", "is empty", "give a checkpoint, run dir or weights file, or null");
    }
    boolean initStrict = s.bool("init-strict");
    int numClasses = s.isNull("num-classes") ? 0 : s.intIn("num-classes", 2, 1 << 20);
    double epochs = s.numberIn("epochs", 0, 1e9);
    long steps = -1;
    if (!s.isNull("steps")) {
      steps = s.longValue("steps");
      if (steps < 1) {
        throw s.invalid("steps", "value " + steps + " is out of range", "must be >= 1 (or null to use epochs)");
      }
    } else if (!(epochs > 0)) {
      throw s.invalid("epochs", "value " + epochs + " is out of range", "must be > 0 unless steps is set");
    }
    int accumulate = s.intIn("accumulate", 1, 4096);
    OptimizerSettings opt = OptimizerSettings.parse(s.sub("optimizer"));
    boolean merging = s.bool("patch-merging-is-layer");
    ScheduleSettings sched = ScheduleSettings.parse(s.sub("schedule"));
    if (sched.minLr() > opt.lr()) {
      throw s.sub("schedule").invalid("min-lr", "min-lr " + sched.minLr() + " exceeds optimizer.lr " + opt.lr(), "must be <= " + s.full("optimizer.lr"));
    }
    double smoothing = s.numberIn("label-smoothing", 0, 0.999);
    Settings head = s.sub("head");
    double dropout = head.numberIn("dropout", 0, 0.999);
    Pooling pooling = Pooling.valueOf(head.oneOf("pooling", "mean", "cls").toUpperCase(Locale.ROOT));
    Double dropPath = s.isNull("drop-path") ? null : s.numberIn("drop-path", 0, 0.999);
    double clip = s.numberIn("clip-grad-norm", 0, 1e12);
    long seed = s.longValue("seed");
    if (seed < 0) {
      throw s.invalid("seed", "value " + seed + " is out of range", "must be >= 0");
    }
    int logEvery = s.intIn("log-every", 1, Integer.MAX_VALUE);
    int evalEvery = s.intIn("eval-every", 0, Integer.MAX_VALUE);
    int ckptEvery = s.intIn("checkpoint-every", 0, Integer.MAX_VALUE);
    int keep = s.intIn("keep-checkpoints", 1, 10000);
    Settings test = s.sub("test");
    int clips = test.intIn("clips", 1, 64);
    int crops = test.intIn("crops", 1, 3);
    if (crops == 2) {
      throw test.invalid("crops", "value 2 is not supported", "1 (centre crop) or 3 (three crops along the long side)");
    }
    int maxViews = test.intIn("max-views-per-forward", 1, 1 << 16);
    double valSplit = s.numberIn("val-split", 0, 0.9);
    Config train = block(s, "train-data");
    Config val = block(s, "val-data")
        .withValue("eval.clips", ConfigValueFactory.fromAnyRef(clips))
        .withValue("eval.crop", ConfigValueFactory.fromAnyRef(crops == 3 ? "three" : "center"));
    StreamSettings trainStream = StreamSettings.parse(train, null, s.full("train-data"));
    StreamSettings valStream = StreamSettings.parse(val, null, s.full("val-data"));
    if (!trainStream.augment().train()) {
      throw s.sub("train-data").invalid("mode", "training data must use mode = train", null);
    }
    if (valStream.augment().train() && valSplit == 0) {
      throw s.sub("val-data").invalid("mode", "validation data must use mode = eval (deterministic views)", null);
    }
    if (trainStream.stream() != valStream.stream()) {
      throw s.sub("val-data").invalid("stream", "feeds the " + valStream.stream().configName() + " stream but train-data feeds "
          + trainStream.stream().configName(), "use the same stream for both");
    }
    if (trainStream.stream() != StreamKind.VIDEO && clips > 1) {
      throw test.invalid("clips", "image data has one clip per sample, got " + clips, "use clips = 1");
    }
    RunSettings run = runSettings(s.sub("run"));
    return new FinetuneSettings(initFrom, initStrict, numClasses, epochs, steps, accumulate, opt, merging, sched, smoothing, dropout,
        pooling, dropPath, clip, seed, logEvery, evalEvery, ckptEvery, keep, clips, crops, maxViews, train, val, valSplit, run);
  }

  private static Config block(Settings s, String key) {
    if (s.isNull(key)) {
      throw s.invalid(key, "is required", "a data block with the keys of bevt.data.video");
    }
    try {
      return s.config().getConfig(key);
    } catch (com.typesafe.config.ConfigException.WrongType e) {
      throw s.invalid(key, "expected an object (a data block), found " + s.config().getValue(key).render(), null);
    }
  }

  private static RunSettings runSettings(Settings r) {
    String name = r.string("name");
    if (name.isBlank()) {
      throw r.invalid("name", "run name is empty", null);
    }
    String dir = r.string("dir");
    if (dir.isBlank()) {
      throw r.invalid("dir", "run directory is empty", null);
    }
    String resume = r.isNull("resume") ? "none" : r.string("resume");
    return switch (resume) {
      case "none" -> new RunSettings(name, Path.of(dir), RunSettings.Resume.NONE, null);
      case "auto" -> new RunSettings(name, Path.of(dir), RunSettings.Resume.AUTO, null);
      default -> new RunSettings(name, Path.of(dir), RunSettings.Resume.PATH, Path.of(resume));
    };
  }

  /** The stream the data feeds (video for action classification). */
  public StreamKind stream() {
    return StreamSettings.parse(trainData, null).stream();
  }

  /** Videos per training micro-batch ({@code train-data.batch-size}). */
  public int batchSize() {
    return trainData.getInt("batch-size");
  }

  /** Videos per validation batch ({@code val-data.batch-size}). */
  public int evalBatchSize() {
    return valData.getInt("batch-size");
  }

  /** Views per validation video. */
  public int views() {
    return testClips * testCrops;
  }

  /** A copy with another run directory / resume mode (the CLI's --run-dir / --resume). */
  public FinetuneSettings withRun(RunSettings r) {
    return new FinetuneSettings(initFrom, initStrict, numClasses, epochs, steps, accumulate, optimizer, patchMergingIsLayer, schedule,
        labelSmoothing, headDropout, pooling, dropPath, clipGradNorm, seed, logEvery, evalEvery, checkpointEvery, keepCheckpoints,
        testClips, testCrops, maxViewsPerForward, trainData, valData, valSplit, r);
  }
}
