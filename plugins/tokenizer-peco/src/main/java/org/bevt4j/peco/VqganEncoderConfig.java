package org.bevt4j.peco;

import java.util.List;

/**
 * Architecture of taming-transformers' {@code Encoder} (taming/modules/diffusionmodules/model.py),
 * under the upstream constructor names, plus the GroupNorm settings upstream hard-codes
 * ({@code Normalize}: 32 groups, eps 1e-6).
 *
 * @param ch base channels
 * @param chMult channel multiplier per resolution level; {@code len(ch_mult)} levels, each but the
 *     last ending in a 2x downsampling
 * @param numResBlocks ResnetBlocks per level
 * @param attnResolutions levels whose (nominal) resolution is listed get an AttnBlock after each
 *     ResnetBlock; the nominal resolution starts at {@code resolution} and halves per level
 * @param inChannels input channels (3)
 * @param resolution nominal input resolution, used only to place the attention blocks
 * @param zChannels latent channels; {@code conv_out} has {@code 2 z} outputs when {@code doubleZ}
 * @param doubleZ see {@code zChannels}
 * @param resampWithConv downsample with pad (0,1,0,1) + 3x3 stride-2 conv (true) or 2x2 average
 *     pooling (false, no keys)
 * @param groups GroupNorm groups (32)
 * @param eps GroupNorm eps (1e-6)
 */
public record VqganEncoderConfig(
    int ch,
    List<Integer> chMult,
    int numResBlocks,
    List<Integer> attnResolutions,
    int inChannels,
    int resolution,
    int zChannels,
    boolean doubleZ,
    boolean resampWithConv,
    int groups,
    double eps) {

  public VqganEncoderConfig {
    chMult = List.copyOf(chMult);
    attnResolutions = List.copyOf(attnResolutions);
    require(ch >= 1, "ch = " + ch + " must be >= 1");
    require(!chMult.isEmpty(), "ch_mult must not be empty");
    for (int m : chMult) {
      require(m >= 1, "ch_mult entries must be >= 1, found " + chMult);
    }
    require(numResBlocks >= 1, "num_res_blocks = " + numResBlocks + " must be >= 1");
    require(inChannels >= 1, "in_channels = " + inChannels + " must be >= 1");
    require(resolution >= 1, "resolution = " + resolution + " must be >= 1");
    require(zChannels >= 1, "z_channels = " + zChannels + " must be >= 1");
    require(groups >= 1, "GroupNorm groups = " + groups + " must be >= 1");
    require(eps > 0, "GroupNorm eps = " + eps + " must be > 0");
    int prev = 1;
    for (int m : chMult) {
      for (int width : new int[] {ch * prev, ch * m}) {
        require(
            width % groups == 0,
            "every normalised width must be a multiple of the GroupNorm groups " + groups
                + ", but ch * mult = " + width + " (ch " + ch + ", ch_mult " + chMult + ")");
      }
      prev = m;
    }
  }

  /** taming's f16 ImageNet VQGAN encoder, with attention at 14 for a 224 nominal resolution. */
  public static VqganEncoderConfig f16Like224() {
    return new VqganEncoderConfig(128, List.of(1, 1, 2, 2, 4), 2, List.of(14), 3, 224, 256, false, true, 32, 1e-6);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("VQGAN encoder: " + message);
    }
  }

  /** Number of resolution levels, {@code len(ch_mult)}. */
  public int levels() {
    return chMult.size();
  }

  /** Total downsampling {@code 2^(levels - 1)}. */
  public int downsampling() {
    return 1 << (levels() - 1);
  }

  /** Channels of the encoder output ({@code conv_out}). */
  public int outChannels() {
    return doubleZ ? 2 * zChannels : zChannels;
  }
}
