package org.bevt4j.timesformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.bevt4j.nn.Attention;
import org.bevt4j.nn.DropPath;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Mlp;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.fused.Attention.Mode;

/**
 * TimeSformer {@code Block}. Keys (upstream order): {@code norm1}, {@code attn.qkv},
 * {@code attn.proj}, and for divided attention {@code temporal_norm1}, {@code temporal_attn.qkv},
 * {@code temporal_attn.proj}, {@code temporal_fc}; then {@code norm2}, {@code mlp.fc1},
 * {@code mlp.fc2}.
 *
 * <p>Initialisation follows upstream {@code _init_weights}: Linear weights trunc-normal(0.02), biases
 * 0, LayerNorm 1/0; and {@code temporal_fc} starts at zero in <b>every</b> block, block 0 included
 * (the upstream quirk: the {@code 'Block' in str(m)} test also matches the ModuleList itself).
 */
public final class TimeSformerBlock extends Module {
  private final LayerNorm norm1;
  private final Attention attn;
  private final LayerNorm temporalNorm1;
  private final Attention temporalAttn;
  private final Linear temporalFc;
  private final LayerNorm norm2;
  private final Mlp mlp;
  private final double dropPath;
  private final long dim;

  public TimeSformerBlock(TimeSformerConfig c, double dropPath) {
    this(c, dropPath, Mode.COMPOSITE);
  }

  /** A block whose spatial and temporal attention are computed with {@code mode}. */
  public TimeSformerBlock(TimeSformerConfig c, double dropPath, Mode mode) {
    this.dim = c.embedDim();
    this.dropPath = dropPath;
    Init tn = Init.truncNormal(0.02);
    this.norm1 = child("norm1", new LayerNorm(dim, c.layerNormEps()));
    this.attn =
        child("attn", new Attention(dim, c.numHeads(), c.qkvBias(), c.qkScale(), c.attnDropRate(), c.dropRate(), tn, mode));
    if (c.attentionType().hasTemporalBranch()) {
      this.temporalNorm1 = child("temporal_norm1", new LayerNorm(dim, c.layerNormEps()));
      this.temporalAttn =
          child(
              "temporal_attn",
              new Attention(dim, c.numHeads(), c.qkvBias(), c.qkScale(), c.attnDropRate(), c.dropRate(), tn, mode));
      this.temporalFc = child("temporal_fc", new Linear(dim, dim, true, Init.zeros(), Init.zeros()));
    } else {
      this.temporalNorm1 = null;
      this.temporalAttn = null;
      this.temporalFc = null;
    }
    this.norm2 = child("norm2", new LayerNorm(dim, c.layerNormEps()));
    this.mlp = child("mlp", new Mlp(dim, c.mlpHidden(), c.dropRate(), tn));
  }

  /**
   * The plain ViT block ({@code space_only}, {@code joint_space_time}, and the image stream in
   * {@code skip} mode): {@code x + dp(attn(norm1(x)))}, then {@code x + dp(mlp(norm2(x)))}.
   */
  public NDArray forwardPlain(NDArray x, boolean training) {
    NDArray y = x.add(DropPath.apply(attn.forward(norm1.forward(x), training), dropPath, training));
    return y.add(DropPath.apply(mlp.forward(norm2.forward(y), training), dropPath, training));
  }

  /**
   * Divided space-time attention on {@code x (B, 1 + N*T, C)} in upstream layout (index
   * {@code 1 + n*T + t}).
   */
  public NDArray forwardDivided(NDArray x, long b, long t, long n, boolean training) {
    if (temporalAttn == null) {
      throw new IllegalStateException("this block has no temporal branch (attention_type is not divided_space_time)");
    }
    NDArray cls0 = x.get(":, 0:1, :"); // (B, 1, C)
    NDArray patches = x.get(":, 1:, :"); // (B, N*T, C): 'b (h w t) m'
    // Temporal: '(b h w) t m', attention, back to 'b (h w t) m', then temporal_fc.
    NDArray xt = patches.reshape(b * n, t, dim);
    NDArray rt = DropPath.apply(temporalAttn.forward(temporalNorm1.forward(xt), training), dropPath, training);
    rt = temporalFc.forward(rt.reshape(b, n * t, dim));
    NDArray xtOut = patches.add(rt);
    // Spatial: cls (pre-block) repeated per frame, '(b t) (h w) m'.
    NDArray clsRep = cls0.broadcast(b, t, dim).reshape(b * t, 1, dim);
    NDArray xs = xtOut.reshape(b, n, t, dim).transpose(0, 2, 1, 3).reshape(b * t, n, dim);
    xs = NDArrays.concat(new NDList(clsRep, xs), 1);
    NDArray rs = DropPath.apply(attn.forward(norm1.forward(xs), training), dropPath, training);
    NDArray clsRes = rs.get(":, 0, :").reshape(b, t, dim).mean(new int[] {1}, true); // (B, 1, C)
    NDArray patchRes = rs.get(":, 1:, :").reshape(b, t, n, dim).transpose(0, 2, 1, 3).reshape(b, n * t, dim);
    NDArray y = NDArrays.concat(new NDList(cls0, xtOut), 1).add(NDArrays.concat(new NDList(clsRes, patchRes), 1));
    return y.add(DropPath.apply(mlp.forward(norm2.forward(y), training), dropPath, training));
  }

  public LayerNorm norm1() {
    return norm1;
  }

  public Attention attn() {
    return attn;
  }

  public Linear temporalFc() {
    return temporalFc;
  }
}
