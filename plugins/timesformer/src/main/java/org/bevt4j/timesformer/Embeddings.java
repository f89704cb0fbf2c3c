package org.bevt4j.timesformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.bevt4j.nn.NearestResize;

/**
 * The position and time embeddings as TimeSformer's {@code forward_features} adapts them to the
 * input: PyTorch legacy {@code nearest} resizing, done only when the sizes differ.
 */
final class Embeddings {
  private Embeddings() {}

  /**
   * {@code pos_embed (1, 1 + N0, C)} for an {@code h x w} patch grid. When {@code h*w != N0},
   * {@code pos_embed[0, 1:]} is viewed as a {@code P x P} grid ({@code P = int(sqrt(N0))}) and
   * nearest-resized to {@code (h, w)}; the cls row is kept. As upstream, a grid with the same token
   * count but another aspect is not resized.
   */
  static NDArray pos(NDArray posEmbed, int h, int w) {
    long n0 = posEmbed.getShape().get(1) - 1;
    long c = posEmbed.getShape().get(2);
    if ((long) h * w == n0) {
      return posEmbed;
    }
    int p = (int) Math.sqrt((double) n0);
    if ((long) p * p != n0) {
      throw new IllegalStateException("pos_embed has " + n0 + " patch rows, not a square grid; cannot resize it");
    }
    NDArray cls = posEmbed.get(":, 0:1, :");
    NDArray grid = posEmbed.get("0, 1:, :").reshape(p, p, c);
    NDArray resized = NearestResize.resize(grid, 0, h, w).reshape(1, (long) h * w, c);
    return NDArrays.concat(new NDList(cls, resized), 1);
  }

  /** {@code time_embed (1, T0, C)} nearest-resized along time to {@code t} rows when {@code t != T0}. */
  static NDArray time(NDArray timeEmbed, int t) {
    return NearestResize.alongAxis(timeEmbed, 1, t);
  }
}
