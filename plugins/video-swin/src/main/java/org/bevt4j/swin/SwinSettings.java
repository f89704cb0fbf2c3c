package org.bevt4j.swin;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Settings;
import org.bevt4j.io.Names;
import org.bevt4j.nn.fused.Attention;
import org.bevt4j.swin.weights.SwinWeights;

/**
 * The validated settings of {@code bevt.model.backbone.video-swin} (see the plugin's {@code
 * reference.conf}): the network (a preset plus per-key overrides, kebab-case versions of the
 * upstream constructor names) and how to read {@code bevt.model.backbone.weights}.
 *
 * @param model the network configuration
 * @param weights how to read a weight file
 * @param attention how window attention is computed ({@code attention}: composite | fused)
 */
public record SwinSettings(SwinConfig model, SwinWeights.Options weights, Attention.Mode attention) {
  /** The settings path this record is read from. */
  public static final String PATH = "bevt.model.backbone.video-swin";

  /** Every key of the subtree. */
  public static final List<String> KEYS =
      List.of(
          "preset", "patch-size", "in-chans", "embed-dim", "depths", "num-heads", "window-size", "mlp-ratio",
          "qkv-bias", "qk-scale", "drop-rate", "attn-drop-rate", "drop-path-rate", "patch-norm", "frozen-stages",
          "bevt", "image-mask-quirk", "weights-prefix", "weights-strict", "weights-2d", "pretrained-window-size",
          "attention");

  /** Validates the parts. */
  public SwinSettings {
    if (model == null || weights == null || attention == null) {
      throw new IllegalArgumentException("model, weights and attention must not be null");
    }
  }

  /** Reads and validates the subtree; errors are {@link BevtConfigException}s naming key, origin, value and constraint. */
  public static SwinSettings from(Config subtree) {
    Settings s = Settings.of(subtree, PATH);
    Set<String> unknown = new TreeSet<>(subtree.root().keySet());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      String k = unknown.iterator().next();
      throw s.invalid(k, "unknown key" + (unknown.size() > 1 ? "s " + unknown : ""),
          ("known keys: " + KEYS + Names.didYouMean(k, KEYS)).replace("; did", ", did"));
    }
    SwinConfig.Builder b;
    String preset = s.optString("preset");
    if (preset == null) {
      b = SwinConfig.builder();
    } else {
      try {
        b = SwinPresets.get(preset);
      } catch (IllegalArgumentException e) {
        throw s.invalid("preset", "unknown preset \"" + preset + "\"",
            "known: " + SwinPresets.NAMES + Names.didYouMean(preset, SwinPresets.NAMES).replace("; ", ", "));
      }
    }
    if (!s.isNull("patch-size")) b.patchSize(s.ints("patch-size", 3, 1));
    if (!s.isNull("in-chans")) b.inChans(s.intIn("in-chans", 1, 1 << 16));
    if (!s.isNull("embed-dim")) b.embedDim(s.intIn("embed-dim", 1, 1 << 16));
    if (!s.isNull("depths")) b.depths(s.ints("depths", -1, 1));
    if (!s.isNull("num-heads")) b.numHeads(s.ints("num-heads", -1, 1));
    if (!s.isNull("window-size")) b.windowSize(s.ints("window-size", 3, 1));
    if (!s.isNull("mlp-ratio")) b.mlpRatio(s.number("mlp-ratio"));
    if (!s.isNull("qkv-bias")) b.qkvBias(s.bool("qkv-bias"));
    if (!s.isNull("qk-scale")) b.qkScale(s.number("qk-scale"));
    if (!s.isNull("drop-rate")) b.dropRate(s.number("drop-rate"));
    if (!s.isNull("attn-drop-rate")) b.attnDropRate(s.number("attn-drop-rate"));
    if (!s.isNull("drop-path-rate")) b.dropPathRate(s.number("drop-path-rate"));
    if (!s.isNull("patch-norm")) b.patchNorm(s.bool("patch-norm"));
    if (!s.isNull("frozen-stages")) b.frozenStages(s.integer("frozen-stages"));
    if (!s.isNull("bevt")) b.bevt(s.bool("bevt"));
    if (!s.isNull("image-mask-quirk")) b.imageMaskQuirk(s.bool("image-mask-quirk"));
    SwinConfig model;
    try {
      model = b.build();
    } catch (InvalidOptionException e) {
      String key = e.option().replace('_', '-');
      throw s.invalid(key, e.getMessage() + (s.hasPath(key) ? "" : " (value from preset " + preset + ")"), null);
    }
    String prefix = s.isNull("weights-prefix") ? "auto" : s.string("weights-prefix");
    boolean strict = s.isNull("weights-strict") || s.bool("weights-strict");
    boolean twoD = !s.isNull("weights-2d") && s.bool("weights-2d");
    int[] pretrainedWindow = s.isNull("pretrained-window-size") ? null : s.ints("pretrained-window-size", 3, 1);
    Attention.Mode attention = Attention.Mode.COMPOSITE;
    if (!s.isNull("attention")) {
      try {
        attention = Attention.Mode.parse(s.string("attention"));
      } catch (IllegalArgumentException e) {
        throw s.invalid("attention", e.getMessage(), "allowed: composite, fused");
      }
    }
    return new SwinSettings(model, new SwinWeights.Options(prefix, strict, twoD, pretrainedWindow), attention);
  }
}
