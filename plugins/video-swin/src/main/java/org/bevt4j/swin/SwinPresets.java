package org.bevt4j.swin;

import java.util.List;
import java.util.Locale;

/**
 * Named Video Swin sizes (reference-models §3.1; Video Swin K400 recipes). Common to all: patch
 * (2,4,4), window (8,7,7), mlp_ratio 4, qkv_bias, patch_norm, no dropout.
 *
 * <table>
 *   <caption>presets</caption>
 *   <tr><th>name</th><th>embed</th><th>depths</th><th>heads</th><th>drop_path</th><th>params</th></tr>
 *   <tr><td>tiny</td><td>96</td><td>2,2,6,2</td><td>3,6,12,24</td><td>0.1</td><td>27.85 M</td></tr>
 *   <tr><td>small</td><td>96</td><td>2,2,18,2</td><td>3,6,12,24</td><td>0.1</td><td>49.51 M</td></tr>
 *   <tr><td>base</td><td>128</td><td>2,2,18,2</td><td>4,8,16,32</td><td>0.3</td><td>87.64 M</td></tr>
 *   <tr><td>large</td><td>192</td><td>2,2,18,2</td><td>6,12,24,48</td><td>0.2 (upstream base-config default)</td><td></td></tr>
 *   <tr><td>bevt-base</td><td colspan="3">base, BEVT mode (image stream, mask token, decoders)</td><td>0.3</td><td>101.28 M</td></tr>
 * </table>
 */
public final class SwinPresets {
  /** Known preset names. */
  public static final List<String> NAMES = List.of("tiny", "small", "base", "large", "bevt-base");

  private SwinPresets() {}

  /** A builder holding the preset; unknown names are an {@link IllegalArgumentException} listing the known ones. */
  public static SwinConfig.Builder get(String name) {
    SwinConfig.Builder b =
        SwinConfig.builder()
            .patchSize(2, 4, 4)
            .windowSize(8, 7, 7)
            .mlpRatio(4.0)
            .qkvBias(true)
            .qkScale(null)
            .dropRate(0)
            .attnDropRate(0)
            .patchNorm(true)
            .frozenStages(-1)
            .bevt(false)
            .imageMaskQuirk(true);
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "tiny" -> b.embedDim(96).depths(2, 2, 6, 2).numHeads(3, 6, 12, 24).dropPathRate(0.1);
      case "small" -> b.embedDim(96).depths(2, 2, 18, 2).numHeads(3, 6, 12, 24).dropPathRate(0.1);
      case "base" -> b.embedDim(128).depths(2, 2, 18, 2).numHeads(4, 8, 16, 32).dropPathRate(0.3);
      case "large" -> b.embedDim(192).depths(2, 2, 18, 2).numHeads(6, 12, 24, 48).dropPathRate(0.2);
      case "bevt-base" -> b.embedDim(128).depths(2, 2, 18, 2).numHeads(4, 8, 16, 32).dropPathRate(0.3).bevt(true);
      default -> throw new IllegalArgumentException(
          "unknown Swin preset \"" + name + "\"; known: " + NAMES);
    };
  }
}
