package org.bevt4j.core.data.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The geometry of one view: the source picture is rescaled to {@code scaledWidth x scaledHeight},
 * the {@code cropSize} square at ({@code cropX}, {@code cropY}) of the rescaled picture is kept and
 * optionally mirrored. Executed lazily by {@link #taps} + {@link Resampler}: only the crop window
 * is ever computed.
 */
public record SpatialPlan(
    int srcWidth, int srcHeight, int scaledWidth, int scaledHeight, int cropX, int cropY, int cropSize, boolean flip) {

  /** mmcv {@code rescale_size}: keep the aspect ratio, short side to {@code shortSide}. */
  public static int[] rescaledSize(int w, int h, int shortSide) {
    double f = shortSide / (double) Math.min(w, h);
    return new int[] {(int) (w * f + 0.5), (int) (h * f + 0.5)};
  }

  /**
   * Training geometry (BEVT: {@code RandomRescale} → {@code RandomCrop} → {@code Flip}). The short
   * side is drawn uniformly from [scaleMin, scaleMax] (kept as is when scaleMin is 0) and never below
   * the crop size.
   */
  public static SpatialPlan train(int w, int h, AugmentSettings a, RandomGenerator rng) {
    int shortSide = a.scaleMin() > 0 ? a.scaleMin() + rng.nextInt(a.scaleMax() - a.scaleMin() + 1) : Math.min(w, h);
    int[] size = rescaledSize(w, h, Math.max(shortSide, a.cropSize()));
    int crop = a.cropSize();
    // mmaction RandomCrop: offsets from randint(0, side - crop), y first
    int y = size[1] > crop ? rng.nextInt(size[1] - crop) : 0;
    int x = size[0] > crop ? rng.nextInt(size[0] - crop) : 0;
    boolean flip = a.flip() > 0 && rng.nextDouble() < a.flip();
    return new SpatialPlan(w, h, size[0], size[1], x, y, crop, flip);
  }

  /** Evaluation geometry: resize the short side, then a centre crop or three crops (left/right/middle). */
  public static List<SpatialPlan> eval(int w, int h, AugmentSettings a) {
    EvalSettings e = a.eval();
    int crop = a.cropSize();
    int[] size = rescaledSize(w, h, Math.max(e.shortSide(), crop));
    int cx = (size[0] - crop) / 2;
    int cy = (size[1] - crop) / 2;
    List<SpatialPlan> out = new ArrayList<>();
    if (e.crops() == 1) {
      out.add(new SpatialPlan(w, h, size[0], size[1], cx, cy, crop, false));
    } else if (size[0] >= size[1]) {
      int step = (size[0] - crop) / 2;
      for (int x : new int[] {0, 2 * step, step}) {
        out.add(new SpatialPlan(w, h, size[0], size[1], x, cy, crop, false));
      }
    } else {
      int step = (size[1] - crop) / 2;
      for (int y : new int[] {0, 2 * step, step}) {
        out.add(new SpatialPlan(w, h, size[0], size[1], cx, y, crop, false));
      }
    }
    return out;
  }

  /** Horizontal taps (mirrored when {@link #flip}). */
  public Taps xTaps(Kernel k) {
    Taps t = Taps.compute(srcWidth, scaledWidth, cropX, cropSize, k, false);
    return flip ? t.reversed() : t;
  }

  /** Vertical taps. */
  public Taps yTaps(Kernel k) {
    return Taps.compute(srcHeight, scaledHeight, cropY, cropSize, k, false);
  }
}
