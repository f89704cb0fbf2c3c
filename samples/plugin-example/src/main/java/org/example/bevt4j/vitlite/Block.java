package org.example.bevt4j.vitlite;

import ai.djl.ndarray.NDArray;
import org.bevt4j.nn.Attention;
import org.bevt4j.nn.DropPath;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Mlp;
import org.bevt4j.nn.Module;

/**
 * Pre-norm transformer block (timm ViT names): {@code x + drop_path(attn(norm1(x)))}, then
 * {@code x + drop_path(mlp(norm2(x)))}.
 */
final class Block extends Module {
  private final LayerNorm norm1;
  private final Attention attn;
  private final LayerNorm norm2;
  private final Mlp mlp;
  private final double dropPath;

  Block(VitLiteSettings s, double dropPath) {
    this.norm1 = child("norm1", new LayerNorm(s.embedDim(), s.layerNormEps()));
    this.attn = child("attn", new Attention(s.embedDim(), s.numHeads(), s.qkvBias(), null, 0.0, 0.0, Init.truncNormal(0.02)));
    this.norm2 = child("norm2", new LayerNorm(s.embedDim(), s.layerNormEps()));
    long hidden = Math.round(s.embedDim() * s.mlpRatio());
    this.mlp = child("mlp", new Mlp(s.embedDim(), hidden, 0.0, Init.truncNormal(0.02)));
    this.dropPath = dropPath;
  }

  NDArray forward(NDArray x, boolean training) {
    NDArray y = x.add(DropPath.apply(attn.forward(norm1.forward(x), training), dropPath, training));
    return y.add(DropPath.apply(mlp.forward(norm2.forward(y), training), dropPath, training));
  }
}
