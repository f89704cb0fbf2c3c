package org.bevt4j.swin.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.nn.DropPath;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Mlp;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.WindowAttention3D;
import org.bevt4j.nn.WindowCaches;
import org.bevt4j.nn.WindowOps;
import org.bevt4j.nn.fused.Attention;
import org.bevt4j.nn.fused.TorchScriptOps;

/**
 * {@code SwinTransformerBlock3D} on channels-last {@code (B, D, H, W, C)}; keys {@code norm1},
 * {@code attn}, {@code norm2}, {@code mlp}. Order: shortcut; LN1; zero-pad to the padded grid
 * (after the norm, so padded tokens are unmasked zero vectors); roll by -shift over (D, H, W);
 * window partition; attention with the plan's mask; reverse; roll by +shift; crop; residual with
 * drop path; then {@code x + drop_path(MLP(LN2(x)))}. The rolls are single libtorch {@code roll}
 * calls ({@link TorchScriptOps#roll}): their backward is a roll too, where slice-and-concat rolls
 * would scatter every slice's gradient into a zero tensor of the full size.
 */
public final class SwinBlock extends Module {
  private static final int[] DIMS = {1, 2, 3};
  private final LayerNorm norm1;
  private final WindowAttention3D attn;
  private final LayerNorm norm2;
  private final Mlp mlp;
  private final double dropPath;

  public SwinBlock(
      int dim,
      int heads,
      int[] window,
      double mlpRatio,
      boolean qkvBias,
      Double qkScale,
      double drop,
      double attnDrop,
      double dropPath,
      WindowCaches caches,
      Attention.Mode mode) {
    this.norm1 = child("norm1", new LayerNorm(dim));
    this.attn =
        child("attn", new WindowAttention3D(dim, window, heads, qkvBias, qkScale, attnDrop, drop, Init.truncNormal(0.02), caches, mode));
    this.norm2 = child("norm2", new LayerNorm(dim));
    this.mlp = child("mlp", new Mlp(dim, (long) (dim * mlpRatio), drop, Init.truncNormal(0.02)));
    this.dropPath = dropPath;
  }

  public NDArray forward(NDArray x, StageGeometry.BlockPlan plan, boolean training) {
    Shape s = x.getShape();
    long b = s.get(0);
    long d = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    int[] p = plan.padded();
    NDArray y = norm1.forward(x);
    boolean padded = p[0] != d || p[1] != h || p[2] != w;
    if (padded) {
      y = y.pad(new Shape(0, 0, 0, p[2] - w, 0, p[1] - h, 0, p[0] - d), 0);
    }
    int[] sh = plan.shift();
    if (plan.shifted()) {
      y = TorchScriptOps.of(y).roll(y, new long[] {-sh[0], -sh[1], -sh[2]}, DIMS);
    }
    NDArray windows = WindowOps.partition(y, plan.window());
    windows = attn.forward(windows, plan.mask(), training);
    y = WindowOps.reverse(windows, plan.window(), b, p[0], p[1], p[2]);
    if (plan.shifted()) {
      y = TorchScriptOps.of(y).roll(y, new long[] {sh[0], sh[1], sh[2]}, DIMS);
    }
    if (padded) {
      y = y.get(new NDIndex(":, :{}, :{}, :{}, :", d, h, w));
    }
    x = x.add(DropPath.apply(y, dropPath, training));
    return x.add(DropPath.apply(mlp.forward(norm2.forward(x), training), dropPath, training));
  }

  public WindowAttention3D attn() {
    return attn;
  }
}
