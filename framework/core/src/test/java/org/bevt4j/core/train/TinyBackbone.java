package org.bevt4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.Autocast;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Mlp;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Param;

/**
 * A tiny two-stream backbone for trainer tests: Conv3d (2,p,p) / Conv2d p patch embeddings, a shared
 * mask token, one shared pre-norm MLP block with dropout (exercises the engine RNG), and a final
 * {@code norm} that the tiny decoders share. Mask grid = patch grid (video: T/2 x H/p x W/p).
 */
final class TinyBackbone extends Module implements Backbone {
  static final int MAX_TOKENS = 64;
  final int dim;
  final int patch;
  final Conv patchEmbed;
  final Conv patchEmbed2d;
  final Param maskToken;
  final Param posEmbed;
  final LayerNorm attnNorm;
  final Linear qkv;
  final Linear proj;
  final LayerNorm blockNorm;
  final Mlp mlp;
  final LayerNorm norm;
  volatile boolean poison;

  final boolean images;

  TinyBackbone(int dim, int patch) {
    this(dim, patch, 0.1, true);
  }

  TinyBackbone(int dim, int patch, double dropout, boolean images) {
    this.images = images;
    this.dim = dim;
    this.patch = patch;
    this.patchEmbed = child("patch_embed", Conv.builder(3, dim, 2, patch, patch).optStride(2, patch, patch).build());
    this.patchEmbed2d = child("patch_embed_2d", Conv.builder(3, dim, patch, patch).optStride(patch, patch).build());
    this.maskToken = param("mask_token", new Shape(1, 1, dim), Init.truncNormal(0.02));
    this.posEmbed = param("pos_embed", new Shape(1, MAX_TOKENS, dim), Init.truncNormal(0.02));
    this.attnNorm = child("blocks.0.norm1", new LayerNorm(dim));
    this.qkv = child("blocks.0.attn.qkv", new Linear(dim, 3L * dim, true, Init.truncNormal(0.02), Init.zeros()));
    this.proj = child("blocks.0.attn.proj", new Linear(dim, dim, true, Init.truncNormal(0.02), Init.zeros()));
    this.blockNorm = child("blocks.0.norm2", new LayerNorm(dim));
    this.mlp = child("blocks.0.mlp", new Mlp(dim, 2L * dim, dropout, Init.truncNormal(0.02)));
    this.norm = child("norm", new LayerNorm(dim));
  }

  @Override
  public BackboneOutput forwardVideo(NDArray video, NDArray mask, boolean training) {
    NDArray e = patchEmbed.forward(video); // (B, C, t, h, w)
    Shape s = e.getShape();
    TokenGrid g = new TokenGrid((int) s.get(2), (int) s.get(3), (int) s.get(4));
    NDArray x = e.reshape(s.get(0), dim, g.size()).transpose(0, 2, 1);
    x = encode(x, mask, training);
    NDArray out = x.transpose(0, 2, 1).reshape(s);
    return new BackboneOutput(StreamKind.VIDEO, List.of(FeatureMap.spatial("out", out, g)));
  }

  @Override
  public boolean supportsImages() {
    return images;
  }

  @Override
  public BackboneOutput forwardImage(NDArray images, NDArray mask, boolean training) {
    NDArray e = patchEmbed2d.forward(images); // (B, C, h, w)
    Shape s = e.getShape();
    TokenGrid g = TokenGrid.image((int) s.get(2), (int) s.get(3));
    NDArray x = e.reshape(s.get(0), dim, g.size()).transpose(0, 2, 1);
    x = encode(x, mask, training);
    NDArray out = x.transpose(0, 2, 1).reshape(s.get(0), dim, 1, s.get(2), s.get(3));
    return new BackboneOutput(StreamKind.IMAGE, List.of(FeatureMap.spatial("out", out, g)));
  }

  private NDArray encode(NDArray x, NDArray mask, boolean training) {
    if (mask != null) {
      NDArray w = mask.reshape(x.getShape().get(0), x.getShape().get(1), 1).toType(DataType.FLOAT32, false);
      x = x.mul(w.neg().add(1)).add(maskToken.array().mul(w));
    }
    long n = x.getShape().get(1);
    x = x.add(posEmbed.array().get(new NDIndex(":, :{}", n)));
    NDArray h = qkv.forward(attnNorm.forward(x));
    NDArray q = h.get(new NDIndex("..., :{}", dim));
    NDArray k = h.get(new NDIndex("..., {}:{}", dim, 2 * dim));
    NDArray v = h.get(new NDIndex("..., {}:", 2 * dim));
    NDArray scale = q.getManager().full(new Shape(), (float) (1 / Math.sqrt(dim)), q.getDataType()); // engine-owned scalar
    NDArray a = Autocast.matMul(q, k.transpose(0, 2, 1)).mul(scale).softmax(-1); // float16 under precision = fp16
    x = x.add(proj.forward(Autocast.matMul(a, v)));
    x = x.add(mlp.forward(blockNorm.forward(x), training));
    if (poison) {
      x = x.mul(Float.NaN);
    }
    return x;
  }

  @Override
  public TokenGrid maskGrid(StreamKind stream, int frames, int height, int width) {
    return stream == StreamKind.VIDEO ? new TokenGrid(frames / 2, height / patch, width / patch) : TokenGrid.image(height / patch, width / patch);
  }

  @Override
  public String defaultDecoder(StreamKind stream) {
    return "tiny";
  }

  /** BEVT-style: 2-D patch weights repeated x2 in time and halved. */
  @Override
  public StateDict inflate(StateDict imageState) {
    TensorData w2 = imageState.get("patch_embed_2d.weight");
    float[] v = w2.toFloats();
    long[] s = w2.shape(); // (C, 3, p, p)
    int plane = (int) (s[2] * s[3]);
    float[] out = new float[v.length * 2];
    for (int oc = 0; oc < s[0] * s[1]; oc++) {
      for (int t = 0; t < 2; t++) {
        for (int k = 0; k < plane; k++) {
          out[(oc * 2 + t) * plane + k] = v[oc * plane + k] / 2;
        }
      }
    }
    Map<String, TensorData> m = new LinkedHashMap<>(imageState.tensors());
    m.put("patch_embed.weight", TensorData.ofFloats(out, s[0], s[1], 2, s[2], s[3]));
    m.put("patch_embed.bias", imageState.get("patch_embed_2d.bias"));
    return new StateDict(m, "inflated");
  }

  @Override
  public int numFeatures() {
    return dim;
  }
}
