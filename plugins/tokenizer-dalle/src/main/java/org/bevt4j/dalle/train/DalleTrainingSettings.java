package org.bevt4j.dalle.train;

import com.typesafe.config.Config;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Settings;
import org.bevt4j.dalle.DalleEncoderConfig;
import org.bevt4j.dalle.DalleSettings;

/**
 * Validated settings of {@code bevt.model.tokenizer.dalle.training}.
 *
 * @param model the tokenizer trained (keys of {@code bevt.model.tokenizer.dalle} under {@code model};
 *     its {@code weights}, if set, initialise the encoder)
 * @param decoder the decoder architecture (vocabulary and 3 output channels taken from the model)
 * @param reconstruction the pixel term
 * @param temperature the Gumbel-softmax temperature τ per step
 * @param klWeight the weight of the KL term per step
 * @param straightThrough hard one-hot codes forward, relaxed gradients backward
 */
public record DalleTrainingSettings(
    DalleSettings model,
    DalleDecoderConfig decoder,
    PixelLoss reconstruction,
    Ramp temperature,
    Ramp klWeight,
    boolean straightThrough) {
  /** The config path of these settings. */
  public static final String PATH = "bevt.model.tokenizer.dalle.training";

  public DalleTrainingSettings {
    if (model == null || decoder == null || reconstruction == null || temperature == null || klWeight == null) {
      throw new IllegalArgumentException("DALL-E training: every setting is required");
    }
    if (decoder.vocabSize() != model.encoder().vocabSize()) {
      throw new IllegalArgumentException("DALL-E training: decoder vocabulary " + decoder.vocabSize()
          + " differs from the encoder's " + model.encoder().vocabSize());
    }
  }

  /** Reads the {@code bevt.model.tokenizer.dalle.training} subtree; errors name the full key and origin. */
  public static DalleTrainingSettings fromConfig(Config config) {
    Settings s = Settings.of(config, PATH);
    if (!s.hasPath("model")) {
      throw s.invalid("model", "is required", "the architecture block, with the keys of bevt.model.tokenizer.dalle");
    }
    DalleSettings model = DalleSettings.fromConfig(config.getConfig("model"), PATH + ".model");
    Settings d = s.sub("decoder");
    int nHid = d.intIn("n-hid", 4, 1 << 16);
    if (nHid % 4 != 0) {
      throw d.invalid("n-hid", "value " + nHid + " is not a multiple of 4", "each block's bottleneck is n_out / 4");
    }
    DalleDecoderConfig dec;
    try {
      dec = new DalleDecoderConfig(DalleEncoderConfig.GROUPS, d.intIn("n-init", 1, 1 << 16), nHid,
          d.intIn("n-blk-per-group", 1, 64), model.encoder().inputChannels(), model.encoder().vocabSize());
    } catch (IllegalArgumentException e) {
      throw new BevtConfigException(d.prefix(), d.origin(""), e.getMessage(), null);
    }
    PixelLoss rec = PixelLoss.fromKey(s.oneOf("reconstruction", PixelLoss.keys().toArray(String[]::new)));
    return new DalleTrainingSettings(model, dec, rec, ramp(s.sub("temperature"), true), ramp(s.sub("kl-weight"), false),
        s.bool("straight-through"));
  }

  private static Ramp ramp(Settings r, boolean positive) {
    Ramp.Shape shape = Ramp.Shape.fromKey(r.oneOf("schedule", Ramp.Shape.keys().toArray(String[]::new)));
    double min = positive ? 1e-6 : 0;
    double start = r.numberIn("start", min, 1e6);
    double end = r.numberIn("end", min, 1e6);
    long steps = r.longValue("steps");
    if (steps < 0) {
      throw r.invalid("steps", "value " + steps + " is negative", "must be >= 0 (0 = the end value from the start)");
    }
    if (shape == Ramp.Shape.EXPONENTIAL && !(start > 0 && end > 0)) {
      throw r.invalid("schedule", "exponential needs start and end > 0, found " + start + " and " + end, "use cosine or linear");
    }
    return new Ramp(shape, start, end, steps);
  }
}
