package org.bevt4j.core.eval;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one linear probe.
 *
 * @param metrics validation top-1/top-5, confusion matrix and per-class accuracy
 * @param classes class names (index = label)
 * @param trainSamples training feature vectors
 * @param valSamples validation feature vectors
 * @param featureDim length of a pooled feature vector
 * @param trainLoss mean cross-entropy of the last training epoch
 * @param trainTop1 top-1 accuracy on the training features
 * @param split how train/val were formed ({@code "separate sets"} or {@code "stratified 20% of ..."})
 * @param options the options used
 */
public record ProbeResult(
    ClassificationMetrics metrics,
    List<String> classes,
    int trainSamples,
    int valSamples,
    int featureDim,
    double trainLoss,
    double trainTop1,
    String split,
    ProbeOptions options) {
  /** Validation top-1 accuracy in [0, 1]. */
  public double top1() {
    return metrics.top1();
  }

  /** Validation top-5 accuracy (top-min(5, classes)) in [0, 1]. */
  public double top5() {
    return metrics.top5();
  }

  /** The numbers as a JSON-ready map ({@code probe.json}). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("top1", metrics.top1());
    m.put("top5", metrics.top5());
    m.put("top5_k", Math.min(5, metrics.numClasses()));
    m.put("mean_class_accuracy", metrics.meanClassAccuracy());
    m.put("train_top1", trainTop1);
    m.put("train_loss", trainLoss);
    m.put("train_samples", trainSamples);
    m.put("val_samples", valSamples);
    m.put("feature_dim", featureDim);
    m.put("num_classes", metrics.numClasses());
    m.put("split", split);
    List<Object> per = new ArrayList<>();
    double[] acc = metrics.perClassAccuracy();
    long[][] conf = metrics.confusion();
    for (int c = 0; c < acc.length; c++) {
      long n = 0;
      for (long v : conf[c]) {
        n += v;
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("class", c < classes.size() ? classes.get(c) : String.valueOf(c));
      e.put("accuracy", Double.isNaN(acc[c]) ? null : acc[c]);
      e.put("samples", n);
      per.add(e);
    }
    m.put("per_class", per);
    m.put("confusion", conf);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("stream", options.stream().configName());
    o.put("pooling", options.pooling().name().toLowerCase(java.util.Locale.ROOT));
    o.put("epochs", options.training().epochs());
    o.put("batch_size", options.training().batchSize());
    o.put("lr", options.training().lr());
    o.put("weight_decay", options.training().weightDecay());
    o.put("seed", options.training().seed());
    o.put("val_fraction", options.trainSet() == null ? options.valFraction() : null);
    m.put("settings", o);
    return m;
  }

  /** Writes {@link #toMap()} as indented JSON. */
  public void writeJson(Path file) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    Files.writeString(file, new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
        .serializeSpecialFloatingPointValues().create().toJson(toMap()) + "\n");
  }

  /** A short text summary with per-class accuracy. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(java.util.Locale.ROOT,
        "linear probe: top-1 %.2f%%, top-%d %.2f%%, mean class accuracy %.2f%% (%d val / %d train samples, %d classes, %d-d features; %s)%n",
        100 * top1(), Math.min(5, metrics.numClasses()), 100 * top5(), 100 * metrics.meanClassAccuracy(),
        valSamples, trainSamples, metrics.numClasses(), featureDim, split));
    sb.append("per-class accuracy (val samples):\n");
    for (String line : metrics.perClassReport(classes)) {
      sb.append("  ").append(line).append('\n');
    }
    return sb.toString();
  }
}
