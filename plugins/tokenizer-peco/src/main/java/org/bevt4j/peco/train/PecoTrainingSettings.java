package org.bevt4j.peco.train;

import com.typesafe.config.Config;
import org.bevt4j.api.Settings;
import org.bevt4j.peco.PecoSettings;

/**
 * Validated settings of {@code bevt.model.tokenizer.peco.training}.
 *
 * @param model the tokenizer architecture trained (the keys of {@code bevt.model.tokenizer.peco},
 *     under {@code model}; its {@code weights}, if set, initialise the encode path)
 * @param reconstruction the pixel reconstruction term
 * @param reconstructionWeight its weight
 * @param codebook how the codebook is trained
 * @param perceptualWeight weight of the perceptual term (0 = off); needs a perceptual network
 * @param perceptualNormalize whether features are unit-normalised over channels first (LPIPS)
 */
public record PecoTrainingSettings(
    PecoSettings model,
    ReconstructionLoss reconstruction,
    double reconstructionWeight,
    CodebookSettings codebook,
    double perceptualWeight,
    boolean perceptualNormalize) {
  /** The config path of these settings. */
  public static final String PATH = "bevt.model.tokenizer.peco.training";

  public PecoTrainingSettings {
    if (model == null || reconstruction == null || codebook == null) {
      throw new IllegalArgumentException("PeCo training: model, reconstruction and codebook are required");
    }
    if (!(reconstructionWeight >= 0) || !(perceptualWeight >= 0)) {
      throw new IllegalArgumentException("PeCo training: loss weights must be >= 0");
    }
  }

  /** Reads the {@code bevt.model.tokenizer.peco.training} subtree; errors name the full key and origin. */
  public static PecoTrainingSettings fromConfig(Config config) {
    Settings s = Settings.of(config, PATH);
    if (!s.hasPath("model")) {
      throw s.invalid("model", "is required", "the architecture block, with the keys of bevt.model.tokenizer.peco");
    }
    PecoSettings model = PecoSettings.fromConfig(config.getConfig("model"), PATH + ".model");
    Settings rec = s.sub("reconstruction");
    ReconstructionLoss loss = ReconstructionLoss.fromKey(rec.oneOf("loss", ReconstructionLoss.keys().toArray(String[]::new)));
    double recWeight = rec.numberIn("weight", 0, 1e6);
    Settings cb = s.sub("codebook");
    CodebookSettings codebook =
        new CodebookSettings(
            cb.numberIn("beta", 0, 1e6),
            cb.bool("ema"),
            cb.numberIn("ema-decay", 0, 0.999999),
            cb.numberIn("ema-eps", Double.MIN_VALUE, 1),
            cb.intIn("restart-after", 0, Integer.MAX_VALUE),
            cb.bool("init-from-data"));
    Settings p = s.sub("perceptual");
    return new PecoTrainingSettings(model, loss, recWeight, codebook, p.numberIn("weight", 0, 1e6), p.bool("normalize"));
  }
}
