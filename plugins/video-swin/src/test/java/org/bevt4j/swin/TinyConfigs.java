package org.bevt4j.swin;

/** Tiny configurations for fast CPU tests. */
final class TinyConfigs {
  private TinyConfigs() {}

  /**
   * BEVT mode, 2 stages (widths 8, 16), window (2,2,2), patch (2,4,4), no dropout: video (B,3,4,16,16)
   * gives a (2,4,4) patch grid, a (2,4,4) mask grid and a (4,4,4) target grid; images 16x16 give 4x4.
   */
  static SwinConfig.Builder bevt() {
    return SwinConfig.builder()
        .patchSize(2, 4, 4)
        .embedDim(8)
        .depths(2, 2)
        .numHeads(1, 2)
        .windowSize(2, 2, 2)
        .mlpRatio(2.0)
        .qkvBias(true)
        .dropRate(0)
        .attnDropRate(0)
        .dropPathRate(0)
        .patchNorm(true)
        .bevt(true);
  }
}
