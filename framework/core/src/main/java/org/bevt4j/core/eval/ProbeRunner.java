package org.bevt4j.core.eval;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.Dataset;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.ProgressListener;
import org.bevt4j.core.RuntimeBuildContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frozen-backbone linear probe, end to end: features of the labelled data (cached under
 * {@code outDir/features}), a train/validation split (two datasets, or a class-stratified share of
 * one), {@link LinearProbe} training, and the report files {@code probe.json} and
 * {@code plots/confusion.png} in {@code outDir}.
 *
 * <pre>{@code
 * ProbeOptions opts = ProbeOptions.from(rt.config());
 * try (RuntimeBuildContext ctx = rt.newBuildContext()) {
 *   Backbone backbone = rt.buildBackbone(ctx);
 *   ProbeResult r = ProbeRunner.run(rt, ctx, backbone, opts, runDir, ProgressListener.NONE);
 *   System.out.println(r.top1());
 * }
 * }</pre>
 */
public final class ProbeRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ProbeRunner.class);

  /** Report file names inside the output directory. */
  public static final String JSON = "probe.json";

  public static final String CONFUSION_PNG = "plots/confusion.png";

  public static final String FEATURES_DIR = "features";

  private ProbeRunner() {}

  /**
   * The data of one probe: either separate training and validation datasets, or one dataset whose
   * features are split ({@code val == null}). The keys identify each dataset and its (evaluation)
   * transforms for the feature cache; a null key disables caching of that dataset.
   */
  public record Data(Dataset train, String trainKey, Dataset val, String valKey) {
    public Data {
      if (train == null) {
        throw new IllegalArgumentException("probe data: a training dataset is required");
      }
    }

    /** One dataset, split by {@link ProbeOptions#valFraction()}. */
    public static Data split(Dataset all, String key) {
      return new Data(all, key, null, null);
    }

    /** Separate training and validation datasets. */
    public static Data separate(Dataset train, String trainKey, Dataset val, String valKey) {
      if (val == null) {
        throw new IllegalArgumentException("probe data: the validation dataset is null");
      }
      return new Data(train, trainKey, val, valKey);
    }
  }

  /**
   * Builds the probe datasets from the runtime's configuration ({@link ProbeDatasets}) and runs the
   * probe on {@code backbone}.
   */
  public static ProbeResult run(
      BevtRuntime rt, RuntimeBuildContext ctx, Backbone backbone, ProbeOptions options, Path outDir, ProgressListener progress)
      throws IOException {
    try (ProbeDatasets ds = ProbeDatasets.open(rt, ctx, options)) {
      return run(backbone, ctx.manager(), ds.data(), options, outDir, progress);
    }
  }

  /**
   * Runs the probe.
   *
   * @param backbone the frozen backbone (forwarded in eval mode, without gradients)
   * @param manager a manager on the backbone's device; batches are created in scopes of it
   * @param outDir receives {@code probe.json}, {@code plots/confusion.png} and the feature cache
   */
  public static ProbeResult run(
      Backbone backbone, NDManager manager, Data data, ProbeOptions options, Path outDir, ProgressListener progress)
      throws IOException {
    Path cache = outDir.resolve(FEATURES_DIR);
    long seed = options.training().seed();
    FeatureSet train;
    FeatureSet val;
    String split;
    if (data.val() == null) {
      FeatureSet all = features(backbone, manager, data.train(), data.trainKey(), options, cache, progress, "features");
      FeatureSplit s;
      try {
        s = FeatureSplit.stratified(all, options.valFraction(), seed);
      } catch (IllegalArgumentException e) {
        throw new BevtException("linear probe: " + e.getMessage(), e);
      }
      train = s.train();
      val = s.val();
      split = String.format(Locale.ROOT, "%.0f%% of each class held out (seed %d)", 100 * options.valFraction(), seed);
    } else {
      train = features(backbone, manager, data.train(), data.trainKey(), options, cache, progress, "features train");
      val = features(backbone, manager, data.val(), data.valKey(), options, cache, progress, "features val");
      split = "separate train and validation sets";
    }
    List<String> classes = classNames(data);
    int numClasses = Math.max(classes.size(), Math.max(train.numClasses(), val.numClasses()));
    while (classes.size() < numClasses) {
      classes.add("class " + classes.size());
    }
    LOG.info("linear probe: {} train / {} val samples, {} classes, {}-d features", train.size(), val.size(), numClasses, train.dim());
    LinearProbe probe = new LinearProbe(options.training());
    double loss = probe.fit(train, numClasses);
    double trainTop1 = probe.evaluate(train).top1();
    ClassificationMetrics m = probe.evaluate(val);
    ProbeResult r = new ProbeResult(m, List.copyOf(classes), train.size(), val.size(), train.dim(), loss, trainTop1, split, options);
    r.writeJson(outDir.resolve(JSON));
    ConfusionMatrixImage.write(outDir.resolve(CONFUSION_PNG), m.confusion(), classes,
        String.format(Locale.ROOT, "Linear probe: top-1 %.1f%%, top-%d %.1f%% (%d val samples)",
            100 * m.top1(), Math.min(5, numClasses), 100 * m.top5(), val.size()));
    return r;
  }

  private static FeatureSet features(
      Backbone backbone, NDManager manager, Dataset ds, String key, ProbeOptions o, Path cache,
      ProgressListener progress, String task) throws IOException {
    if (ds.size() < 1) {
      throw new BevtException("linear probe: the " + ds.stream().configName() + " dataset is empty");
    }
    FeatureExtractor fx = new FeatureExtractor(backbone, manager, o.featureBatch(), o.workers(), o.pooling(), progress, task);
    FeatureSet fs = key == null ? fx.compute(ds, o.training().seed()) : fx.extract(ds, key, o.training().seed(), cache);
    for (int i = 0; i < fs.size(); i++) {
      if (fs.labels()[i] < 0) {
        throw new BevtException("linear probe needs labelled samples, but sample " + i + " of the "
            + ds.stream().configName() + " dataset has no label (an unlabelled dataset type or list file?)");
      }
    }
    return fs;
  }

  private static List<String> classNames(Data data) {
    List<String> c = new ArrayList<>(data.train().classes());
    if (data.val() != null) {
      List<String> v = data.val().classes();
      if (!c.isEmpty() && !v.isEmpty() && !c.equals(v)) {
        throw new BevtException("linear probe: the training and validation sets have different classes: "
            + abbreviate(c) + " vs " + abbreviate(v) + " (labels would not correspond)");
      }
      if (v.size() > c.size()) {
        c = new ArrayList<>(v);
      }
    }
    return c;
  }

  private static String abbreviate(List<String> l) {
    return l.size() <= 8 ? l.toString() : l.subList(0, 8) + " ... (" + l.size() + ")";
  }
}
