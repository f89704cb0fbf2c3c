package org.bevt4j.swin.layers;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import org.bevt4j.nn.WindowCaches;

/**
 * Window, shift, padding and mask of one stage for one input grid, and the per-block plan derived
 * from them. Built by {@link #video} (Video Swin rules) or {@link #image} (BEVT image-stream rules).
 *
 * @param window effective window (d, h, w)
 * @param shift the shift of odd blocks (d, h, w); even blocks never shift
 * @param padded the grid padded up to multiples of the window
 * @param mask the shifted-window mask (nW, N, N), or null when no block uses one
 * @param maskEvenBlocks whether non-shifted blocks also add the mask (BEVT image-stream quirk)
 */
public record StageGeometry(int[] window, int[] shift, int[] padded, NDArray mask, boolean maskEvenBlocks) {

  /**
   * Video Swin: per axis, a grid size {@code <=} the window clips the window to the size and sets
   * the shift to 0; otherwise window = configured, shift = configured // 2. The grid is padded to
   * multiples of the window; the mask is used (by odd blocks) only when some shift is > 0.
   */
  public static StageGeometry video(long[] grid, int[] configured, WindowCaches caches) {
    int[] window = new int[3];
    int[] shift = new int[3];
    int[] padded = new int[3];
    boolean anyShift = false;
    for (int a = 0; a < 3; a++) {
      int size = Math.toIntExact(grid[a]);
      if (size <= configured[a]) {
        window[a] = size;
        shift[a] = 0;
      } else {
        window[a] = configured[a];
        shift[a] = configured[a] / 2;
      }
      anyShift |= shift[a] > 0;
      padded[a] = ceilTo(size, window[a]);
    }
    NDArray mask = anyShift ? caches.shiftMask(padded, window, shift) : null;
    return new StageGeometry(window, shift, padded, mask, false);
  }

  /**
   * BEVT image stream: 2-D windows of {@code configured[1]} (which must equal {@code
   * configured[2]}), no padding (the grid must be a multiple of the window). With {@code quirk}
   * (BEVT's behaviour) the shift is always {@code window // 2} and the mask is added in every
   * block, even when the grid equals the window; without it, standard 2-D Swin: no shift when
   * {@code min(H, W) <= window}, mask only in shifted blocks.
   *
   * @param stage 0-based stage index, for error messages
   * @param merges whether a PatchMerging follows (then H and W must be even)
   */
  public static StageGeometry image(
      long h, long w, int[] configured, boolean quirk, int stage, boolean merges, WindowCaches caches) {
    if (configured[1] != configured[2]) {
      throw new IllegalArgumentException(
          "the image stream needs a square 2-D window, but window_size is " + Arrays.toString(configured));
    }
    int ws = configured[1];
    if (h % ws != 0 || w % ws != 0) {
      throw new IllegalArgumentException(
          "image stream: stage " + (stage + 1) + " token grid " + h + "x" + w + " is not a multiple of the 2-D window "
              + ws + " (BEVT's image stream never pads); the patch grid H/patch x W/patch must be a multiple of "
              + ws + "*2^(stages-1) on each side, e.g. a 224x224 image for patch 4, window 7 and 4 stages");
    }
    if (merges && (h % 2 != 0 || w % 2 != 0)) {
      throw new IllegalArgumentException(
          "image stream: stage " + (stage + 1) + " token grid " + h + "x" + w
              + " must be even for PatchMerging (the image stream never pads)");
    }
    int s = ws / 2;
    boolean shifts = quirk || Math.min(h, w) > ws;
    int[] window = {1, ws, ws};
    int[] shift = {0, shifts ? s : 0, shifts ? s : 0};
    int[] padded = {1, Math.toIntExact(h), Math.toIntExact(w)};
    NDArray mask;
    if (quirk) {
      mask = caches.shiftMask(padded, window, new int[] {0, s, s});
    } else {
      mask = shift[1] > 0 ? caches.shiftMask(padded, window, shift) : null;
    }
    return new StageGeometry(window, shift, padded, mask, quirk);
  }

  /** What block {@code j} of the stage does. */
  public BlockPlan plan(int j) {
    boolean odd = j % 2 == 1;
    int[] s = odd ? shift : new int[3];
    NDArray m = odd || maskEvenBlocks ? mask : null;
    return new BlockPlan(window, s, padded, m);
  }

  private static int ceilTo(int n, int m) {
    return (n + m - 1) / m * m;
  }

  /**
   * One block's window attention setup.
   *
   * @param window effective window
   * @param shift roll amount (rolled by -shift before attention, +shift after)
   * @param padded padded grid
   * @param mask additive mask or null
   */
  public record BlockPlan(int[] window, int[] shift, int[] padded, NDArray mask) {
    /** Whether any axis is shifted. */
    public boolean shifted() {
      return shift[0] > 0 || shift[1] > 0 || shift[2] > 0;
    }
  }
}
