package org.bevt4j.timesformer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.util.Set;
import java.util.TreeSet;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Settings;
import org.bevt4j.io.Names;

/**
 * Builds a {@link TimeSformerConfig} from the upstream {@code VisionTransformer} constructor
 * arguments as JSON (e.g. a reference fixture's {@code constructor_config}), for tests and the
 * {@code forward} command.
 *
 * <p>Absent keys take the upstream <i>class</i> defaults (img 224, patch 16, 1000 classes, embed 768,
 * depth 12, 12 heads, mlp 4, {@code qkv_bias} false, {@code drop_path_rate} 0.1, 8 frames, divided
 * attention), except {@code layer_norm_eps}, which defaults to 1e-6: the class takes a
 * {@code norm_layer}, and every wrapper of the repo passes {@code LayerNorm(eps=1e-6)}.
 * {@code hybrid_backbone} must be null; {@code norm_layer} and {@code dropout} (unused upstream) are
 * accepted and ignored. Optional bevt4j keys: {@code tubelet_size}, {@code patch_embed_2d}
 * ("shared"/"separate"), {@code image_temporal} ("skip"/"upstream"), {@code mask_token} (default
 * false: the exact upstream parameter set), {@code mask_patch_size} (default 16, or the patch size when
 * 16 does not fit it), {@code mask_frames} (2), {@code pos_embed_inflation} ("grid"/"sequence").
 */
public final class UpstreamConfig {
  private static final Set<String> KEYS =
      Set.of(
          "img_size", "patch_size", "in_chans", "num_classes", "embed_dim", "depth", "num_heads", "mlp_ratio",
          "qkv_bias", "qk_scale", "drop_rate", "attn_drop_rate", "drop_path_rate", "hybrid_backbone", "norm_layer",
          "num_frames", "attention_type", "dropout", "layer_norm_eps", "tubelet_size", "patch_embed_2d",
          "image_temporal", "mask_token", "mask_patch_size", "mask_frames", "pos_embed_inflation");

  private UpstreamConfig() {}

  /** Parses upstream constructor arguments given as a JSON object. */
  public static TimeSformerConfig parse(String json) {
    Config c;
    try {
      c = ConfigFactory.parseString(json, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
    } catch (ConfigException e) {
      throw new BevtConfigException("constructor_config", "", "is not a JSON object: " + e.getMessage());
    }
    Settings s = Settings.of(c, "constructor_config");
    for (String key : new TreeSet<>(c.root().keySet())) {
      if (!KEYS.contains(key)) {
        throw s.invalid(key, "unknown TimeSformer constructor argument", "known: " + new TreeSet<>(KEYS) + Names.didYouMean(key, KEYS));
      }
    }
    if (!s.isNull("hybrid_backbone")) {
      throw s.invalid("hybrid_backbone", "hybrid (CNN) backbones are not supported", "must be null");
    }
    AttentionType type;
    try {
      type = AttentionType.parse(s.isNull("attention_type") ? "divided_space_time" : s.string("attention_type"));
    } catch (IllegalArgumentException e) {
      throw s.invalid("attention_type", e.getMessage(), null);
    }
    int patch = i(s, "patch_size", 16);
    int defaultMask = 16 % patch == 0 || patch % 16 == 0 ? 16 : patch;
    try {
      BevtOptions bevt =
          new BevtOptions(
              i(s, "tubelet_size", 1),
              BevtOptions.PatchEmbed2d.valueOf(str(s, "patch_embed_2d", "shared")),
              BevtOptions.ImageTemporal.valueOf(str(s, "image_temporal", "skip")),
              !s.isNull("mask_token") && s.bool("mask_token"),
              i(s, "mask_patch_size", defaultMask),
              i(s, "mask_frames", 2),
              BevtOptions.PosEmbedInflation.valueOf(str(s, "pos_embed_inflation", "grid")));
      return new TimeSformerConfig(
          i(s, "img_size", 224),
          patch,
          i(s, "in_chans", 3),
          i(s, "num_classes", 1000),
          i(s, "embed_dim", 768),
          i(s, "depth", 12),
          i(s, "num_heads", 12),
          d(s, "mlp_ratio", 4.0),
          !s.isNull("qkv_bias") && s.bool("qkv_bias"),
          s.isNull("qk_scale") ? null : s.number("qk_scale"),
          d(s, "drop_rate", 0),
          d(s, "attn_drop_rate", 0),
          d(s, "drop_path_rate", 0.1),
          i(s, "num_frames", 8),
          type,
          d(s, "layer_norm_eps", 1e-6),
          bevt);
    } catch (ConfigProblem p) {
      throw s.invalid(p.field(), p.problem(), null);
    } catch (IllegalArgumentException e) {
      throw new BevtConfigException("constructor_config", "", e.getMessage());
    }
  }

  private static int i(Settings s, String key, int dflt) {
    return s.isNull(key) ? dflt : s.integer(key);
  }

  private static double d(Settings s, String key, double dflt) {
    return s.isNull(key) ? dflt : s.number(key);
  }

  private static String str(Settings s, String key, String dflt) {
    return (s.isNull(key) ? dflt : s.string(key)).toUpperCase(java.util.Locale.ROOT);
  }
}
