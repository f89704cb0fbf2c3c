package org.bevt4j.core.mask;

import java.util.random.RandomGenerator;
import org.bevt4j.api.Masker;
import org.bevt4j.api.TokenGrid;

/**
 * BEVT's tube masking ({@code MaskedPositionGenerate}): one block mask per clip, written into a
 * contiguous run of temporal slots of length {@code randint(max(int(lo*t),1), min(int(hi*t),t))}
 * starting at {@code randint(0, t-1)}, wrapping cyclically past the last slot; other slots stay
 * unmasked. The mask is produced on the backbone's mask grid (BEVT: 8x14x14); the trainer upsamples it
 * in time to the target grid (16x14x14) for the loss.
 */
public final class TubeMasker implements Masker {
  private final BlockMasker block;
  private final double tubeMin;
  private final double tubeMax;

  public TubeMasker(BlockMaskSettings blockSettings, double tubeMin, double tubeMax) {
    if (!(tubeMin > 0 && tubeMin <= tubeMax && tubeMax <= 1)) {
      throw new IllegalArgumentException("tube-range must satisfy 0 < lo <= hi <= 1, got [" + tubeMin + ", " + tubeMax + "]");
    }
    this.block = new BlockMasker(blockSettings);
    this.tubeMin = tubeMin;
    this.tubeMax = tubeMax;
  }

  @Override
  public boolean[] sample(TokenGrid grid, RandomGenerator rng) {
    int t = grid.t();
    boolean[] plane = block.plane(grid.h(), grid.w(), rng);
    int[] len = tubeLengthRange(t);
    int start = rng.nextInt(t);
    int length = len[0] + rng.nextInt(len[1] - len[0] + 1);
    boolean[] out = new boolean[grid.size()];
    for (int k = 0; k < length; k++) {
      int slot = (start + k) % t;
      System.arraycopy(plane, 0, out, slot * grid.plane(), grid.plane());
    }
    return out;
  }

  /** Inclusive [min, max] tube length for t temporal slots, as upstream computes it. */
  public int[] tubeLengthRange(int t) {
    int lo = Math.max((int) (tubeMin * t), 1);
    int hi = Math.min((int) (tubeMax * t), t);
    return new int[] {Math.min(lo, hi), hi};
  }
}
