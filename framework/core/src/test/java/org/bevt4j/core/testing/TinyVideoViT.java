package org.bevt4j.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.DropPath;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Mlp;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Ops;
import org.bevt4j.nn.Scalars;

/**
 * A small but real ViT-style video backbone for fine-tuning tests, with upstream (timm/TimeSformer)
 * parameter names: {@code patch_embed.proj} (Conv3d with (2, p, p) tubelets), {@code pos_embed},
 * {@code blocks.<i>.{norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2}} (pre-norm joint
 * space-time attention with stochastic depth) and a final {@code norm}. Its output is the spatial
 * feature map {@code (B, C, T/2, H/p, W/p)}.
 */
public final class TinyVideoViT extends Module implements Backbone {
  private final int dim;
  private final int patch;
  private final int maxTokens;
  private final Conv patchEmbed;
  private final org.bevt4j.nn.Param posEmbed;
  private final List<Block> blocks = new ArrayList<>();
  private final LayerNorm norm;

  /**
   * @param dim model width
   * @param depth blocks
   * @param patch spatial patch size (the temporal one is 2)
   * @param maxTokens largest token count (pos_embed rows)
   * @param dropPath stochastic depth, rising linearly over the blocks
   */
  public TinyVideoViT(int dim, int depth, int patch, int maxTokens, double dropPath) {
    this.dim = dim;
    this.patch = patch;
    this.maxTokens = maxTokens;
    this.patchEmbed = child("patch_embed.proj", Conv.builder(3, dim, 2, patch, patch).optStride(2, patch, patch).build());
    this.posEmbed = param("pos_embed", new Shape(1, maxTokens, dim), Init.truncNormal(0.02));
    double[] rates = DropPath.schedule(dropPath, depth);
    for (int i = 0; i < depth; i++) {
      blocks.add(child("blocks." + i, new Block(dim, rates[i])));
    }
    this.norm = child("norm", new LayerNorm(dim, 1e-6));
  }

  /** One pre-norm transformer block. */
  static final class Block extends Module {
    final LayerNorm norm1;
    final Linear qkv;
    final Linear proj;
    final LayerNorm norm2;
    final Mlp mlp;
    final double dropPath;
    final int dim;

    Block(int dim, double dropPath) {
      this.dim = dim;
      this.dropPath = dropPath;
      this.norm1 = child("norm1", new LayerNorm(dim, 1e-6));
      this.qkv = child("attn.qkv", new Linear(dim, 3L * dim, true, Init.truncNormal(0.02), Init.zeros()));
      this.proj = child("attn.proj", new Linear(dim, dim, true, Init.truncNormal(0.02), Init.zeros()));
      this.norm2 = child("norm2", new LayerNorm(dim, 1e-6));
      this.mlp = child("mlp", new Mlp(dim, 2L * dim, 0.0, Init.truncNormal(0.02)));
    }

    NDArray forward(NDArray x, boolean training) {
      NDArray h = qkv.forward(norm1.forward(x));
      NDArray q = Scalars.mul(h.get(new NDIndex("..., :{}", dim)), 1.0 / Math.sqrt(dim));
      NDArray k = h.get(new NDIndex("..., {}:{}", dim, 2 * dim));
      NDArray v = h.get(new NDIndex("..., {}:", 2 * dim));
      NDArray a = q.matMul(k.transpose(0, 2, 1)).softmax(-1);
      x = x.add(DropPath.apply(proj.forward(a.matMul(v)), dropPath, training));
      return x.add(DropPath.apply(mlp.forward(norm2.forward(x), training), dropPath, training));
    }
  }

  @Override
  public BackboneOutput forwardVideo(NDArray video, NDArray mask, boolean training) {
    if (mask != null) {
      throw new UnsupportedOperationException("TinyVideoViT has no mask token");
    }
    NDArray e = patchEmbed.forward(video); // (B, C, t, h, w)
    Shape s = e.getShape();
    TokenGrid g = new TokenGrid((int) s.get(2), (int) s.get(3), (int) s.get(4));
    if (g.size() > maxTokens) {
      throw new IllegalArgumentException(g.size() + " tokens exceed pos_embed's " + maxTokens);
    }
    NDArray x = e.reshape(s.get(0), dim, g.size()).transpose(0, 2, 1);
    x = x.add(posEmbed.array().get(new NDIndex(":, :{}", g.size())));
    x = Ops.dropout(x, 0, training);
    for (Block b : blocks) {
      x = b.forward(x, training);
    }
    x = norm.forward(x);
    NDArray out = x.transpose(0, 2, 1).reshape(s);
    return new BackboneOutput(StreamKind.VIDEO, List.of(FeatureMap.spatial("out", out, g)));
  }

  @Override
  public BackboneOutput forwardImage(NDArray images, NDArray mask, boolean training) {
    throw new UnsupportedOperationException("TinyVideoViT is video only");
  }

  @Override
  public TokenGrid maskGrid(StreamKind stream, int frames, int height, int width) {
    return new TokenGrid(frames / 2, height / patch, width / patch);
  }

  @Override
  public String defaultDecoder(StreamKind stream) {
    return "none";
  }

  @Override
  public int numFeatures() {
    return dim;
  }
}
