package org.bevt4j.dalle;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Settings;

/**
 * Validated settings of the {@code dalle} tokenizer ({@code bevt.model.tokenizer.dalle}).
 *
 * @param encoder the encoder architecture
 * @param logitLaplaceEps {@code map_pixels} eps: {@code x * (1 - 2 eps) + eps} (0.1)
 * @param inputSize the square input resolution (BEVT: 112, giving 14x14 tokens)
 * @param weights weight file, or null for random initialisation
 */
public record DalleSettings(DalleEncoderConfig encoder, double logitLaplaceEps, int inputSize, String weights) {
  /** The config path the plugin's settings live under. */
  public static final String PATH = "bevt.model.tokenizer.dalle";

  public DalleSettings {
    if (encoder == null) {
      throw new IllegalArgumentException("DALL-E tokenizer: encoder config is required");
    }
    if (!(logitLaplaceEps >= 0 && logitLaplaceEps < 0.5)) {
      throw new IllegalArgumentException(
          "DALL-E tokenizer: logit-laplace-eps = " + logitLaplaceEps + " must be in [0, 0.5)");
    }
    int d = DalleEncoderConfig.DOWNSAMPLING;
    if (inputSize < d || inputSize % d != 0) {
      throw new IllegalArgumentException(
          "DALL-E tokenizer: input-size = " + inputSize + " must be a positive multiple of " + d);
    }
  }

  /** The released encoder at BEVT's 112x112 tokenizer resolution, random weights. */
  public static DalleSettings defaults() {
    return new DalleSettings(DalleEncoderConfig.released(), 0.1, 112, null);
  }

  /**
   * Reads the plugin subtree ({@code n-hid}, {@code n-blk-per-group}, {@code vocab-size},
   * {@code input-size}, {@code logit-laplace-eps}, {@code weights}); errors name the full key, its
   * origin and the constraint.
   */
  public static DalleSettings fromConfig(Config config) {
    return fromConfig(config, PATH);
  }

  /**
   * As {@link #fromConfig(Config)} for the same keys found under another path (e.g. the model
   * block of {@code bevt.model.tokenizer.dalle.training}); {@code path} is used in error messages.
   */
  public static DalleSettings fromConfig(Config config, String path) {
    Settings s = Settings.of(config, path);
    int nHid = s.intIn("n-hid", 4, 1 << 16);
    if (nHid % 4 != 0) {
      throw s.invalid("n-hid", "value " + nHid + " is not a multiple of 4", "each block's bottleneck is n_out / 4");
    }
    int nBlk = s.intIn("n-blk-per-group", 1, 64);
    int vocab = s.intIn("vocab-size", 2, 1 << 20);
    double eps = s.number("logit-laplace-eps");
    if (!(eps >= 0 && eps < 0.5)) {
      throw s.invalid("logit-laplace-eps", "value " + eps + " is out of range", "must be in [0, 0.5)");
    }
    int size = s.intIn("input-size", DalleEncoderConfig.DOWNSAMPLING, 1 << 14);
    if (size % DalleEncoderConfig.DOWNSAMPLING != 0) {
      throw s.invalid("input-size", "value " + size + " is not a multiple of 8", "the encoder downsamples by 8");
    }
    String weights = s.optString("weights");
    try {
      return new DalleSettings(new DalleEncoderConfig(4, nHid, nBlk, 3, vocab), eps, size, weights);
    } catch (IllegalArgumentException e) {
      throw new BevtConfigException(path, s.origin(""), e.getMessage(), null);
    }
  }

  /**
   * Builds settings from an upstream constructor config in JSON, e.g. a reference fixture's
   * {@code constructor_config}: {@code group_count}, {@code n_hid}, {@code n_blk_per_group},
   * {@code input_channels}, {@code vocab_size}, {@code logit_laplace_eps}; missing keys take the
   * upstream defaults. The input size is {@code inputSize}; weights are left unset.
   */
  public static DalleSettings fromUpstreamJson(String json, int inputSize) {
    Config c = ConfigFactory.parseString(json);
    Settings s = Settings.of(c, "constructor_config");
    DalleEncoderConfig r = DalleEncoderConfig.released();
    DalleEncoderConfig enc =
        new DalleEncoderConfig(
            s.hasPath("group_count") ? s.integer("group_count") : r.groupCount(),
            s.hasPath("n_hid") ? s.integer("n_hid") : r.nHid(),
            s.hasPath("n_blk_per_group") ? s.integer("n_blk_per_group") : r.nBlkPerGroup(),
            s.hasPath("input_channels") ? s.integer("input_channels") : r.inputChannels(),
            s.hasPath("vocab_size") ? s.integer("vocab_size") : r.vocabSize());
    double eps = s.hasPath("logit_laplace_eps") ? s.number("logit_laplace_eps") : 0.1;
    return new DalleSettings(enc, eps, inputSize, null);
  }

  /**
   * These settings as the plugin's config subtree ({@code bevt.model.tokenizer.dalle} keys; weights
   * included only when set), such that {@link #fromConfig(Config)} gives them back.
   */
  public Config toConfig() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (weights != null) {
      m.put("weights", weights);
    }
    m.put("input-size", inputSize);
    m.put("n-hid", encoder.nHid());
    m.put("n-blk-per-group", encoder.nBlkPerGroup());
    m.put("vocab-size", encoder.vocabSize());
    m.put("logit-laplace-eps", logitLaplaceEps);
    return ConfigFactory.parseMap(m, "DALL-E tokenizer settings");
  }

  /** A copy with another weights path. */
  public DalleSettings withWeights(String path) {
    return new DalleSettings(encoder, logitLaplaceEps, inputSize, path);
  }

  /** The token grid side for {@link #inputSize()}. */
  public int gridSize() {
    return inputSize / DalleEncoderConfig.DOWNSAMPLING;
  }
}
