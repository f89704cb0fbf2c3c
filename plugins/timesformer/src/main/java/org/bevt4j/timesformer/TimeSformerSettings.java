package org.bevt4j.timesformer;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bevt4j.api.Settings;
import org.bevt4j.io.Names;
import org.bevt4j.nn.fused.Attention;

/**
 * The validated settings of {@code bevt.model.backbone.timesformer} (see the plugin's
 * {@code reference.conf} for every key). Architecture keys left {@code null} take the
 * {@link Preset}'s value. Every error names the full key, its origin, the value and the constraint.
 *
 * @param preset the size preset
 * @param model the resolved model configuration
 * @param attention how attention is computed ({@code attention}: composite | fused)
 */
public record TimeSformerSettings(Preset preset, TimeSformerConfig model, Attention.Mode attention) {
  /** Where these settings live in the configuration. */
  public static final String PATH = "bevt.model.backbone.timesformer";

  static final Set<String> KEYS =
      Set.of(
          "preset", "img-size", "num-frames", "patch-size", "embed-dim", "depth", "num-heads", "mlp-ratio",
          "in-chans", "num-classes", "qkv-bias", "qk-scale", "drop-rate", "attn-drop-rate", "drop-path-rate",
          "attention-type", "layer-norm-eps", "tubelet-size", "patch-embed-2d", "image-temporal", "mask-token",
          "mask-patch-size", "mask-frames", "pos-embed-inflation", "attention");

  public TimeSformerSettings {
    if (preset == null || model == null || attention == null) {
      throw new IllegalArgumentException("preset, model and attention must not be null");
    }
  }

  /** Reads and validates {@code config}, the {@code timesformer} subtree, reporting keys under {@code PATH}. */
  public static TimeSformerSettings from(Config config) {
    return from(config, PATH);
  }

  /** Reads and validates {@code config}, reporting keys under {@code prefix}. */
  public static TimeSformerSettings from(Config config, String prefix) {
    Settings s = Settings.of(config, prefix);
    for (String key : new TreeSet<>(config.root().keySet())) {
      if (!KEYS.contains(key)) {
        throw s.invalid(key, "unknown key", "known keys: " + new TreeSet<>(KEYS) + Names.didYouMean(key, KEYS));
      }
    }
    Preset preset = Preset.parse(s.oneOf("preset", Preset.configNames()));
    AttentionType type;
    try {
      type = AttentionType.parse(s.string("attention-type"));
    } catch (IllegalArgumentException e) {
      throw s.invalid("attention-type", e.getMessage(), "allowed: " + List.of(AttentionType.upstreamNames()));
    }
    try {
      BevtOptions bevt =
          new BevtOptions(
              s.intIn("tubelet-size", 1, 64),
              BevtOptions.PatchEmbed2d.valueOf(upper(s.oneOf("patch-embed-2d", "shared", "separate"))),
              BevtOptions.ImageTemporal.valueOf(upper(s.oneOf("image-temporal", "skip", "upstream"))),
              s.bool("mask-token"),
              s.intIn("mask-patch-size", 1, 4096),
              s.intIn("mask-frames", 1, 64),
              BevtOptions.PosEmbedInflation.valueOf(upper(s.oneOf("pos-embed-inflation", "grid", "sequence"))));
      TimeSformerConfig model =
          new TimeSformerConfig(
              orPreset(s, "img-size", preset.imgSize()),
              orPreset(s, "patch-size", Preset.PATCH_SIZE),
              s.intIn("in-chans", 1, 64),
              s.intIn("num-classes", 0, 1 << 20),
              orPreset(s, "embed-dim", Preset.EMBED_DIM),
              orPreset(s, "depth", Preset.DEPTH),
              orPreset(s, "num-heads", Preset.NUM_HEADS),
              s.isNull("mlp-ratio") ? Preset.MLP_RATIO : s.numberIn("mlp-ratio", 1e-6, 1e3),
              s.bool("qkv-bias"),
              s.isNull("qk-scale") ? null : s.numberIn("qk-scale", 1e-12, 1e6),
              s.numberIn("drop-rate", 0, 0.999),
              s.numberIn("attn-drop-rate", 0, 0.999),
              s.numberIn("drop-path-rate", 0, 0.999),
              orPreset(s, "num-frames", preset.numFrames()),
              type,
              s.numberIn("layer-norm-eps", 1e-12, 0.5),
              bevt);
      Attention.Mode attention;
      try {
        attention = Attention.Mode.parse(s.string("attention"));
      } catch (IllegalArgumentException e) {
        throw s.invalid("attention", e.getMessage(), "allowed: composite, fused");
      }
      return new TimeSformerSettings(preset, model, attention);
    } catch (ConfigProblem p) {
      throw s.invalid(p.configKey(), p.problem(), null);
    }
  }

  private static int orPreset(Settings s, String key, int presetValue) {
    return s.isNull(key) ? presetValue : s.intIn(key, 1, 1 << 20);
  }

  private static String upper(String v) {
    return v.toUpperCase(java.util.Locale.ROOT);
  }
}
