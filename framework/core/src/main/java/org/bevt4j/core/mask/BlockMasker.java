package org.bevt4j.core.mask;

import java.util.random.RandomGenerator;
import org.bevt4j.api.Masker;
import org.bevt4j.api.TokenGrid;

/**
 * BEiT's block-wise masking ({@code MaskingGenerator}) on each time slice independently: while fewer
 * than the target are masked, try up to {@code attempts} times to place a block of area
 * ~U(min, remaining) and aspect exp(U(log a, log 1/a)) at a uniform position, accepting it if it adds
 * between 1 and {@code remaining} new cells; stop early when a round adds nothing. Python's
 * {@code round} (half to even) is reproduced with {@link Math#rint}.
 */
public final class BlockMasker implements Masker {
  private final BlockMaskSettings settings;

  public BlockMasker(BlockMaskSettings settings) {
    this.settings = settings;
  }

  @Override
  public boolean[] sample(TokenGrid grid, RandomGenerator rng) {
    boolean[] out = new boolean[grid.size()];
    for (int t = 0; t < grid.t(); t++) {
      boolean[] plane = plane(grid.h(), grid.w(), rng);
      System.arraycopy(plane, 0, out, t * grid.plane(), grid.plane());
    }
    return out;
  }

  /** One h x w block mask, row-major. */
  public boolean[] plane(int height, int width, RandomGenerator rng) {
    boolean[] mask = new boolean[height * width];
    int target = settings.target(height, width);
    int maxBlock = settings.maxNumPatches() > 0 ? settings.maxNumPatches() : target;
    double logMin = Math.log(settings.minAspect());
    double logMax = Math.log(settings.maxAspect() > 0 ? settings.maxAspect() : 1 / settings.minAspect());
    int count = 0;
    while (count < target) {
      int maxPatches = Math.min(target - count, maxBlock);
      int delta = placeBlock(mask, height, width, maxPatches, logMin, logMax, rng);
      if (delta == 0) {
        break;
      }
      count += delta;
    }
    return mask;
  }

  private int placeBlock(boolean[] mask, int height, int width, int maxPatches, double logMin, double logMax, RandomGenerator rng) {
    int delta = 0;
    for (int attempt = 0; attempt < settings.attempts(); attempt++) {
      double area = uniform(rng, settings.minNumPatches(), maxPatches);
      double aspect = Math.exp(uniform(rng, logMin, logMax));
      int h = (int) Math.rint(Math.sqrt(area * aspect));
      int w = (int) Math.rint(Math.sqrt(area / aspect));
      if (w < width && h < height) {
        int top = rng.nextInt(height - h + 1);
        int left = rng.nextInt(width - w + 1);
        int already = 0;
        for (int i = top; i < top + h; i++) {
          for (int j = left; j < left + w; j++) {
            if (mask[i * width + j]) {
              already++;
            }
          }
        }
        int added = h * w - already;
        if (added > 0 && added <= maxPatches) {
          for (int i = top; i < top + h; i++) {
            for (int j = left; j < left + w; j++) {
              if (!mask[i * width + j]) {
                mask[i * width + j] = true;
                delta++;
              }
            }
          }
        }
        if (delta > 0) {
          break;
        }
      }
    }
    return delta;
  }

  /** Python's {@code random.uniform(a, b)}: a + (b - a) * U[0, 1), valid when a > b too. */
  private static double uniform(RandomGenerator rng, double a, double b) {
    return a + (b - a) * rng.nextDouble();
  }

  public BlockMaskSettings settings() {
    return settings;
  }
}
