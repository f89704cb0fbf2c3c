package org.bevt4j.peco;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Settings;

/**
 * Validated settings of the {@code peco} tokenizer ({@code bevt.model.tokenizer.peco}).
 *
 * @param encoder the VQGAN encoder architecture
 * @param embedDim codebook vector size ({@code embed_dim}, output of {@code quant_conv})
 * @param nEmbed codebook size ({@code n_embed}), the vocabulary
 * @param inputSize the square input resolution fed to the tokenizer
 * @param pixelRange how [0, 1] pixels are mapped to the model input
 * @param mean per-channel mean for {@link PixelRange#MEAN_STD}
 * @param std per-channel std for {@link PixelRange#MEAN_STD}
 * @param weights weight file, or null for random initialisation
 * @param keyPrefixMap checkpoint key prefix rewrites applied before selecting the model's keys
 */
public record PecoSettings(
    VqganEncoderConfig encoder,
    int embedDim,
    int nEmbed,
    int inputSize,
    PixelRange pixelRange,
    List<Double> mean,
    List<Double> std,
    String weights,
    List<KeyMapping> keyPrefixMap) {
  /** The config path the plugin's settings live under. */
  public static final String PATH = "bevt.model.tokenizer.peco";

  /** ImageNet statistics, the default {@code mean}/{@code std}. */
  public static final List<Double> IMAGENET_MEAN = List.of(0.485, 0.456, 0.406);

  public static final List<Double> IMAGENET_STD = List.of(0.229, 0.224, 0.225);

  /** Rewrites keys starting with {@code from} to start with {@code to} instead. */
  public record KeyMapping(String from, String to) {
    public KeyMapping {
      if (from == null || to == null) {
        throw new IllegalArgumentException("key-prefix-map entries need both from and to");
      }
    }
  }

  public PecoSettings {
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    keyPrefixMap = List.copyOf(keyPrefixMap);
    if (encoder == null || pixelRange == null) {
      throw new IllegalArgumentException("PeCo tokenizer: encoder and pixel-range are required");
    }
    if (embedDim < 1 || nEmbed < 2) {
      throw new IllegalArgumentException(
          "PeCo tokenizer: embed-dim = " + embedDim + " must be >= 1 and n-embed = " + nEmbed + " >= 2");
    }
    int f = encoder.downsampling();
    if (inputSize < f || inputSize % f != 0) {
      throw new IllegalArgumentException(
          "PeCo tokenizer: input-size = " + inputSize + " must be a positive multiple of the downsampling " + f);
    }
    if (mean.size() != encoder.inChannels() || std.size() != encoder.inChannels()) {
      throw new IllegalArgumentException(
          "PeCo tokenizer: mean and std need " + encoder.inChannels() + " values, found " + mean + " and " + std);
    }
    if (std.stream().anyMatch(s -> !(s > 0))) {
      throw new IllegalArgumentException("PeCo tokenizer: std values must be > 0, found " + std);
    }
  }

  /** The documented defaults (taming-f16-like, not PeCo's unknown architecture), random weights. */
  public static PecoSettings defaults() {
    return new PecoSettings(
        VqganEncoderConfig.f16Like224(), 256, 8192, 224, PixelRange.MINUS_ONE_ONE, IMAGENET_MEAN, IMAGENET_STD, null, List.of());
  }

  /** Reads the plugin subtree; errors name the full key, its origin and the constraint. */
  public static PecoSettings fromConfig(Config config) {
    return fromConfig(config, PATH);
  }

  /**
   * As {@link #fromConfig(Config)} for the same keys found under another path (e.g. the model
   * block of {@code bevt.model.tokenizer.peco.training}); {@code path} is used in error messages.
   */
  public static PecoSettings fromConfig(Config config, String path) {
    Settings s = Settings.of(config, path);
    int ch = s.intIn("ch", 1, 1 << 16);
    List<Integer> chMult = boxed(s.ints("ch-mult", -1, 1));
    if (chMult.isEmpty()) {
      throw s.invalid("ch-mult", "must not be empty", "one multiplier per resolution level");
    }
    int numResBlocks = s.intIn("num-res-blocks", 1, 64);
    List<Integer> attn = boxed(s.ints("attn-resolutions", -1, 1));
    int resolution = s.intIn("resolution", 1, 1 << 16);
    int zChannels = s.intIn("z-channels", 1, 1 << 16);
    boolean doubleZ = s.bool("double-z");
    boolean resampWithConv = s.bool("resamp-with-conv");
    int groups = s.intIn("groups", 1, 4096);
    double eps = s.numberIn("eps", Double.MIN_VALUE, 1);
    VqganEncoderConfig enc;
    try {
      enc = new VqganEncoderConfig(ch, chMult, numResBlocks, attn, 3, resolution, zChannels, doubleZ, resampWithConv, groups, eps);
    } catch (IllegalArgumentException e) {
      throw s.invalid("groups", e.getMessage(), "ch * every ch-mult entry must be divisible by groups");
    }
    int embedDim = s.intIn("embed-dim", 1, 1 << 16);
    int nEmbed = s.intIn("n-embed", 2, 1 << 24);
    int size = s.intIn("input-size", 1, 1 << 16);
    if (size % enc.downsampling() != 0) {
      throw s.invalid(
          "input-size",
          "value " + size + " is not a multiple of the downsampling " + enc.downsampling(),
          "the encoder halves the resolution len(ch-mult) - 1 = " + (enc.levels() - 1) + " times");
    }
    PixelRange range = PixelRange.fromKey(s.oneOf("pixel-range", PixelRange.keys()));
    List<Double> mean = boxed(s.numbers("mean"));
    List<Double> std = boxed(s.numbers("std"));
    if (mean.size() != 3) {
      throw s.invalid("mean", "expected 3 values, found " + mean.size(), null);
    }
    if (std.size() != 3 || std.stream().anyMatch(v -> !(v > 0))) {
      throw s.invalid("std", "expected 3 values > 0, found " + std, null);
    }
    return new PecoSettings(enc, embedDim, nEmbed, size, range, mean, std, s.optString("weights"), keyMap(s));
  }

  private static List<KeyMapping> keyMap(Settings s) {
    List<KeyMapping> out = new ArrayList<>();
    if (s.isNull("key-prefix-map")) {
      return out;
    }
    Config c = s.config();
    if (c.getValue("key-prefix-map").valueType() != ConfigValueType.LIST) {
      throw s.invalid("key-prefix-map", "expected a list of { from = ..., to = ... }", null);
    }
    List<? extends ConfigValue> list = c.getList("key-prefix-map");
    for (int i = 0; i < list.size(); i++) {
      ConfigValue v = list.get(i);
      if (v.valueType() != ConfigValueType.OBJECT) {
        throw s.invalid("key-prefix-map", "element " + i + " is not an object { from = ..., to = ... }", null);
      }
      Config e = ((com.typesafe.config.ConfigObject) v).toConfig();
      if (!e.hasPath("from") || !e.hasPathOrNull("to") || !e.root().keySet().equals(java.util.Set.of("from", "to"))) {
        throw s.invalid("key-prefix-map", "element " + i + " must have exactly the keys from and to, found " + e.root().keySet(), null);
      }
      out.add(new KeyMapping(e.getString("from"), e.getIsNull("to") ? "" : e.getString("to")));
    }
    return out;
  }

  /**
   * Builds settings from a taming constructor config in JSON (e.g. a reference fixture's
   * {@code constructor_config}: {@code ch}, {@code ch_mult}, {@code num_res_blocks},
   * {@code attn_resolutions}, {@code in_channels}, {@code resolution}, {@code z_channels},
   * {@code double_z}, {@code resamp_with_conv}, {@code embed_dim}, {@code n_embed}); GroupNorm is
   * taming's (32 groups, eps 1e-6), pixels use [-1, 1], no weights. Training-only keys
   * ({@code dropout}, {@code beta}, {@code out_ch}) are ignored.
   */
  public static PecoSettings fromUpstreamJson(String json, int inputSize) {
    return fromUpstreamJson(json, inputSize, false);
  }

  private static PecoSettings fromUpstreamJson(String json, int inputSize, boolean anySize) {
    Settings s = Settings.of(ConfigFactory.parseString(json), "constructor_config");
    VqganEncoderConfig enc =
        new VqganEncoderConfig(
            s.integer("ch"),
            boxed(s.ints("ch_mult", -1, 1)),
            s.integer("num_res_blocks"),
            boxed(s.ints("attn_resolutions", -1, 0)),
            s.hasPath("in_channels") ? s.integer("in_channels") : 3,
            s.integer("resolution"),
            s.integer("z_channels"),
            s.hasPath("double_z") && s.bool("double_z"),
            !s.hasPath("resamp_with_conv") || s.bool("resamp_with_conv"),
            32,
            1e-6);
    List<Double> mean = new ArrayList<>();
    List<Double> std = new ArrayList<>();
    for (int i = 0; i < enc.inChannels(); i++) {
      mean.add(0.5);
      std.add(0.5);
    }
    return new PecoSettings(
        enc, s.integer("embed_dim"), s.integer("n_embed"), anySize ? enc.downsampling() : inputSize,
        PixelRange.MINUS_ONE_ONE, mean, std, null, List.of());
  }

  /**
   * As {@link #fromUpstreamJson(String, int)} with the input size taken from {@code resolution}
   * (rounded down to a multiple of the downsampling, at least one token).
   */
  public static PecoSettings fromUpstreamJson(String json) {
    PecoSettings probe = fromUpstreamJson(json, -1, true);
    int f = probe.encoder().downsampling();
    return fromUpstreamJson(json, Math.max(f, probe.encoder().resolution() / f * f));
  }

  /**
   * These settings as the plugin's config subtree ({@code bevt.model.tokenizer.peco} keys; weights
   * included only when set), such that {@link #fromConfig(Config)} gives them back.
   */
  public Config toConfig() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (weights != null) {
      m.put("weights", weights);
    }
    List<Map<String, String>> keys = new ArrayList<>();
    for (KeyMapping k : keyPrefixMap) {
      keys.add(Map.of("from", k.from(), "to", k.to()));
    }
    m.put("key-prefix-map", keys);
    m.put("input-size", inputSize);
    m.put("pixel-range", pixelRange.key());
    m.put("mean", mean);
    m.put("std", std);
    m.put("ch", encoder.ch());
    m.put("ch-mult", encoder.chMult());
    m.put("num-res-blocks", encoder.numResBlocks());
    m.put("attn-resolutions", encoder.attnResolutions());
    m.put("resolution", encoder.resolution());
    m.put("z-channels", encoder.zChannels());
    m.put("double-z", encoder.doubleZ());
    m.put("resamp-with-conv", encoder.resampWithConv());
    m.put("groups", encoder.groups());
    m.put("eps", encoder.eps());
    m.put("embed-dim", embedDim);
    m.put("n-embed", nEmbed);
    return ConfigFactory.parseMap(m, "PeCo tokenizer settings");
  }

  /** A copy with another weights path. */
  public PecoSettings withWeights(String path) {
    return new PecoSettings(encoder, embedDim, nEmbed, inputSize, pixelRange, mean, std, path, keyPrefixMap);
  }

  /** The token grid side for {@link #inputSize()}. */
  public int gridSize() {
    return inputSize / encoder.downsampling();
  }

  private static List<Integer> boxed(int[] v) {
    List<Integer> out = new ArrayList<>();
    for (int i : v) {
      out.add(i);
    }
    return out;
  }

  private static List<Double> boxed(double[] v) {
    List<Double> out = new ArrayList<>();
    for (double d : v) {
      out.add(d);
    }
    return out;
  }
}
