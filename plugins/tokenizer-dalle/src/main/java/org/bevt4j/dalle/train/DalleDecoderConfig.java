package org.bevt4j.dalle.train;

/**
 * Architecture of the DALL-E dVAE {@code Decoder} (openai/DALL-E {@code dall_e/decoder.py}), under
 * the upstream constructor names. Upstream's attrs validators ({@code n_init >= 8},
 * {@code n_hid >= 64}, {@code vocab_size >= 512}) are relaxed for tiny models; the structural
 * constraint (widths multiple of 4) is kept.
 *
 * @param groupCount upstream {@code group_count} (4), used only in the residual gain
 * @param nInit channels after the 1x1 input conv (128)
 * @param nHid base width; groups 1-4 have widths {@code n_hid * {8, 4, 2, 1}} (256)
 * @param nBlkPerGroup residual blocks per group (2)
 * @param outputChannels image channels (3); the output conv has twice as many (logit-Laplace
 *     location and log-scale)
 * @param vocabSize codebook size, the input channels (8192)
 */
public record DalleDecoderConfig(int groupCount, int nInit, int nHid, int nBlkPerGroup, int outputChannels, int vocabSize) {
  public DalleDecoderConfig {
    require(groupCount >= 1, "group_count", groupCount, ">= 1");
    require(nInit >= 1, "n_init", nInit, ">= 1");
    require(nHid >= 4 && nHid % 4 == 0, "n_hid", nHid, "a positive multiple of 4");
    require(nBlkPerGroup >= 1, "n_blk_per_group", nBlkPerGroup, ">= 1");
    require(outputChannels >= 1, "output_channels", outputChannels, ">= 1");
    require(vocabSize >= 2, "vocab_size", vocabSize, ">= 2");
  }

  /** The released decoder: n_init 128, n_hid 256, 2 blocks per group, 3 channels, 8192 codes. */
  public static DalleDecoderConfig released() {
    return new DalleDecoderConfig(4, 128, 256, 2, 3, 8192);
  }

  private static void require(boolean ok, String name, int value, String constraint) {
    if (!ok) {
      throw new IllegalArgumentException("DALL-E decoder: " + name + " = " + value + " must be " + constraint);
    }
  }

  /** {@code post_gain = 1 / (group_count * n_blk_per_group)^2}. */
  public double postGain() {
    double nLayers = (double) groupCount * nBlkPerGroup;
    return 1.0 / (nLayers * nLayers);
  }

  /** Width of group {@code g} (1-based): {@code n_hid * 2^(4-g)}. */
  public int groupWidth(int g) {
    return nHid << (4 - g);
  }
}
