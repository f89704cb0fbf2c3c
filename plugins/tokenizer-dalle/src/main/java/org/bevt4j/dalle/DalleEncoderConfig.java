package org.bevt4j.dalle;

/**
 * Architecture of the DALL-E dVAE {@code Encoder}, under the upstream constructor names.
 *
 * <p>Upstream always builds exactly four groups (widths {@code n_hid * {1, 2, 4, 8}}, 2x2 max-pool
 * after groups 1-3); {@code group_count} is a class attribute used only for the residual gain
 * {@code post_gain = 1 / (group_count * n_blk_per_group)^2}, and it is used the same way here.
 * Upstream's attrs validators ({@code n_hid >= 64}, {@code vocab_size >= 512}) are relaxed so that
 * tiny test models can be built; the structural constraint {@code n_hid % 4 == 0} is kept (every
 * block's bottleneck width is {@code n_out / 4}).
 *
 * @param groupCount upstream {@code group_count} (4 in the released model)
 * @param nHid base width {@code n_hid} (256 in the released model)
 * @param nBlkPerGroup residual blocks per group (2)
 * @param inputChannels input channels (3)
 * @param vocabSize codebook size, the number of output logits (8192)
 */
public record DalleEncoderConfig(int groupCount, int nHid, int nBlkPerGroup, int inputChannels, int vocabSize) {
  /** The number of groups the upstream structure always has. */
  public static final int GROUPS = 4;

  /** Total spatial downsampling (three 2x2 max-pools). */
  public static final int DOWNSAMPLING = 8;

  public DalleEncoderConfig {
    require(groupCount >= 1, "group_count", groupCount, ">= 1");
    require(nHid >= 4 && nHid % 4 == 0, "n_hid", nHid, "a positive multiple of 4");
    require(nBlkPerGroup >= 1, "n_blk_per_group", nBlkPerGroup, ">= 1");
    require(inputChannels >= 1, "input_channels", inputChannels, ">= 1");
    require(vocabSize >= 2, "vocab_size", vocabSize, ">= 2");
  }

  /** The released encoder: group_count 4, n_hid 256, 2 blocks per group, 3 channels, 8192 codes. */
  public static DalleEncoderConfig released() {
    return new DalleEncoderConfig(4, 256, 2, 3, 8192);
  }

  private static void require(boolean ok, String name, int value, String constraint) {
    if (!ok) {
      throw new IllegalArgumentException("DALL-E encoder: " + name + " = " + value + " must be " + constraint);
    }
  }

  /** {@code post_gain = 1 / (group_count * n_blk_per_group)^2} (1/64 for the released model). */
  public double postGain() {
    double nLayers = (double) groupCount * nBlkPerGroup;
    return 1.0 / (nLayers * nLayers);
  }

  /** Width of group {@code g} (1-based): {@code n_hid * 2^(g-1)}. */
  public int groupWidth(int g) {
    return nHid << (g - 1);
  }
}
