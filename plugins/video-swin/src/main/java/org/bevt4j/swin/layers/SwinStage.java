package org.bevt4j.swin.layers;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.WindowCaches;
import org.bevt4j.nn.fused.Attention;

/**
 * One stage ({@code BasicLayer}): {@code blocks.j} (even blocks plain windows, odd blocks shifted)
 * and, except for the last stage, a {@code downsample} PatchMerging.
 */
public final class SwinStage extends Module {
  private final List<SwinBlock> blocks = new ArrayList<>();
  private final PatchMerging downsample;

  /**
   * @param dropPaths the drop-path rate of each block (its length is the depth)
   * @param mode how the blocks compute window attention
   */
  public SwinStage(
      int dim,
      int heads,
      int[] window,
      double mlpRatio,
      boolean qkvBias,
      Double qkScale,
      double drop,
      double attnDrop,
      double[] dropPaths,
      boolean downsample,
      WindowCaches caches,
      Attention.Mode mode) {
    for (int j = 0; j < dropPaths.length; j++) {
      blocks.add(
          child("blocks." + j, new SwinBlock(dim, heads, window, mlpRatio, qkvBias, qkScale, drop, attnDrop, dropPaths[j], caches, mode)));
    }
    this.downsample = downsample ? child("downsample", new PatchMerging(dim)) : null;
  }

  /** Output of a stage: before and after the PatchMerging (the same array for the last stage). */
  public record Output(NDArray beforeMerge, NDArray afterMerge) {}

  /**
   * Runs the blocks and the merge on channels-last {@code (B, D, H, W, C)}.
   *
   * @param blockTap called with each block's output (may be null)
   */
  public Output forward(NDArray x, StageGeometry geometry, boolean training, java.util.function.BiConsumer<Integer, NDArray> blockTap) {
    for (int j = 0; j < blocks.size(); j++) {
      x = blocks.get(j).forward(x, geometry.plan(j), training);
      if (blockTap != null) {
        blockTap.accept(j, x);
      }
    }
    return new Output(x, downsample == null ? x : downsample.forward(x));
  }

  public boolean hasDownsample() {
    return downsample != null;
  }

  public List<SwinBlock> blocks() {
    return List.copyOf(blocks);
  }
}
