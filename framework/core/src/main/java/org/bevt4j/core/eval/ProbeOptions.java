package org.bevt4j.core.eval;

import com.typesafe.config.Config;
import org.bevt4j.api.Settings;
import org.bevt4j.api.StreamKind;

/**
 * Everything a linear probe needs besides the backbone and the data ({@code bevt.eval.probe}).
 *
 * @param training the classifier training ({@code epochs}, {@code batch-size}, {@code lr},
 *     {@code weight-decay}, {@code seed})
 * @param stream the data stream the probe reads
 * @param trainSet config path of a separate training dataset block, or null
 * @param valSet config path of a separate validation dataset block, or null
 * @param valFraction share of each class held out when there is no separate validation set
 * @param pooling how the final feature map becomes one vector
 * @param featureBatch samples per backbone forward pass while extracting features
 * @param workers sample-loading threads while extracting features
 */
public record ProbeOptions(
    ProbeSettings training,
    StreamKind stream,
    String trainSet,
    String valSet,
    double valFraction,
    FeatureExtractor.Pooling pooling,
    int featureBatch,
    int workers) {
  /** The config block. */
  public static final String PATH = "bevt.eval.probe";

  public ProbeOptions {
    if (training == null || stream == null || pooling == null) {
      throw new IllegalArgumentException("probe options: training, stream and pooling are required");
    }
    if (!(valFraction > 0 && valFraction < 1)) {
      throw new IllegalArgumentException("probe options: val-fraction " + valFraction + " must be in (0, 1)");
    }
    if ((trainSet == null) != (valSet == null)) {
      throw new IllegalArgumentException("probe options: give both train-set and val-set, or neither");
    }
    if (featureBatch < 1 || workers < 1) {
      throw new IllegalArgumentException("probe options: feature batch " + featureBatch + " and workers " + workers + " must be >= 1");
    }
  }

  /** Defaults for programmatic use: {@link ProbeSettings#defaults()}, one dataset split 80/20, mean pooling. */
  public static ProbeOptions defaults(StreamKind stream) {
    return new ProbeOptions(ProbeSettings.defaults(), stream, null, null, 0.2, FeatureExtractor.Pooling.MEAN, 8,
        Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * Reads {@code bevt.eval.probe}; the feature batch is the stream's {@code bevt.data.<stream>.batch-size}
   * and the workers {@code bevt.data.loader.workers} (0 = all cores). Errors name key, origin and constraint.
   */
  public static ProbeOptions from(Config root) {
    Settings s = Settings.of(root, "").sub(PATH);
    ProbeSettings training = ProbeSettings.from(s);
    StreamKind stream = StreamKind.fromConfigName(s.oneOf("stream", "video", "image"));
    String train = s.optString("train-set");
    String val = s.optString("val-set");
    if ((train == null) != (val == null)) {
      throw s.invalid(train == null ? "train-set" : "val-set", "is null while " + (train == null ? "val-set" : "train-set") + " is set",
          "give both dataset blocks, or neither to split bevt.data." + stream.configName());
    }
    double frac = s.numberIn("val-fraction", 1e-6, 1 - 1e-6);
    FeatureExtractor.Pooling pooling =
        FeatureExtractor.Pooling.fromConfigName(s.oneOf("pooling", FeatureExtractor.Pooling.configNames()));
    Settings data = Settings.of(root, "").sub("bevt.data");
    int batch = data.sub(stream.configName()).intIn("batch-size", 1, 1 << 20);
    int workers = data.sub("loader").intIn("workers", 0, 4096);
    if (workers == 0) {
      workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    }
    return new ProbeOptions(training, stream, train, val, frac, pooling, batch, workers);
  }

  /** A copy reading another stream. */
  public ProbeOptions withStream(StreamKind s) {
    return new ProbeOptions(training, s, trainSet, valSet, valFraction, pooling, featureBatch, workers);
  }

  /** A copy with separate train/val dataset blocks (both null: split one dataset). */
  public ProbeOptions withSets(String train, String val) {
    return new ProbeOptions(training, stream, train, val, valFraction, pooling, featureBatch, workers);
  }
}
