package org.example.bevt4j.vitlite;

import com.typesafe.config.Config;
import org.bevt4j.api.Settings;

/**
 * Settings of the {@code vit-lite} backbone ({@code bevt.model.backbone.vit-lite}), validated when
 * built: every error names the full key, its origin ({@code file: line}), the value and the rule.
 *
 * @param imgSize square input resolution the position embedding is sized for
 * @param numFrames clip length the time embedding is sized for
 * @param patchSize spatial patch side p
 * @param tubeletSize frames per video token
 * @param inChans input channels
 * @param embedDim token width D
 * @param depth number of transformer blocks
 * @param numHeads attention heads (D must be divisible by them)
 * @param mlpRatio MLP hidden width / D
 * @param qkvBias bias on the qkv projection
 * @param dropPathRate stochastic depth of the last block (linear from 0)
 * @param layerNormEps epsilon of every LayerNorm
 */
public record VitLiteSettings(
    int imgSize,
    int numFrames,
    int patchSize,
    int tubeletSize,
    int inChans,
    int embedDim,
    int depth,
    int numHeads,
    double mlpRatio,
    boolean qkvBias,
    double dropPathRate,
    double layerNormEps) {
  /** The configuration path of these settings, for messages. */
  public static final String PATH = "bevt.model.backbone.vit-lite";

  /** Reads and validates {@code bevt.model.backbone.vit-lite} (passed as {@code settings}). */
  public static VitLiteSettings from(Config settings) {
    Settings s = Settings.of(settings, PATH);
    int patch = s.intIn("patch-size", 1, 1024);
    int img = s.intIn("img-size", 1, 8192);
    if (img % patch != 0) {
      throw s.invalid("img-size", "value " + img + " is not a multiple of patch-size " + patch, "choose img-size = k * patch-size");
    }
    int tubelet = s.intIn("tubelet-size", 1, 64);
    int frames = s.intIn("num-frames", 1, 4096);
    if (frames % tubelet != 0) {
      throw s.invalid("num-frames", "value " + frames + " is not a multiple of tubelet-size " + tubelet, null);
    }
    int dim = s.intIn("embed-dim", 1, 1 << 16);
    int heads = s.intIn("num-heads", 1, 1024);
    if (dim % heads != 0) {
      throw s.invalid("num-heads", "embed-dim " + dim + " is not divisible by " + heads + " heads", null);
    }
    return new VitLiteSettings(
        img,
        frames,
        patch,
        tubelet,
        s.intIn("in-chans", 1, 64),
        dim,
        s.intIn("depth", 1, 1024),
        heads,
        s.numberIn("mlp-ratio", 0.01, 64),
        s.bool("qkv-bias"),
        s.numberIn("drop-path-rate", 0, 1 - 1e-9),
        s.numberIn("layer-norm-eps", 1e-12, 1));
  }

  /** Tokens per side of the spatial grid. */
  public int gridSide() {
    return imgSize / patchSize;
  }

  /** Temporal tokens of a {@link #numFrames} clip. */
  public int temporalTokens() {
    return numFrames / tubeletSize;
  }
}
