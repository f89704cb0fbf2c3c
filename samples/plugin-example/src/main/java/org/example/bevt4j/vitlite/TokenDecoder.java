package org.example.bevt4j.vitlite;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Module;

/**
 * A vit-lite decoder: per-target-token features on the tokenizer's grid. A linear layer widens
 * every token to {@code k} tokens along time (k = tubelet-size for clips, whose frames are
 * tokenized one by one, 1 for images: like a ConvTranspose with kernel = stride = (k, 1, 1)), then
 * a LayerNorm. Keys {@code <prefix>.fc.*} and {@code <prefix>.norm.*}, with prefix
 * {@code video_decoder} or {@code image_decoder}, so both decoders and the backbone never share a
 * name in a checkpoint.
 */
public final class TokenDecoder extends Module implements Decoder {
  private final StreamKind stream;
  private final Linear fc;
  private final LayerNorm norm;
  private final int dim;
  private final int expand;

  private TokenDecoder(StreamKind stream, int dim, int expand, double eps) {
    this.stream = stream;
    this.dim = dim;
    this.expand = expand;
    String prefix = stream.configName() + "_decoder";
    this.fc = child(prefix + ".fc", new Linear(dim, (long) dim * expand, true, Init.truncNormal(0.02), Init.zeros()));
    this.norm = child(prefix + ".norm", new LayerNorm(dim, eps));
  }

  /** The decoder of {@code stream} for {@code backbone}, initialised in the backbone's manager. */
  public static TokenDecoder create(StreamKind stream, VitLiteBackbone backbone, ai.djl.ndarray.NDManager manager) {
    VitLiteSettings s = backbone.settings();
    TokenDecoder d = new TokenDecoder(stream, s.embedDim(), stream == StreamKind.VIDEO ? s.tubeletSize() : 1, s.layerNormEps());
    d.initialize(manager);
    return d;
  }

  @Override
  public NDArray decode(BackboneOutput output, boolean training) {
    FeatureMap f = output.get(VitLiteBackbone.TOKENS);
    if (output.stream() != stream) {
      throw new IllegalArgumentException("the " + stream.configName() + " decoder got " + output.stream().configName() + " features");
    }
    TokenGrid g = f.grid();
    Shape s = f.features().getShape();
    long b = s.get(0);
    NDArray y = fc.forward(f.features()).reshape(b, g.t(), g.h(), g.w(), expand, dim).transpose(0, 1, 4, 2, 3, 5);
    return norm.forward(y.reshape(b, (long) g.size() * expand, dim));
  }

  @Override
  public int featureDim() {
    return dim;
  }

  @Override
  public TokenGrid targetGrid(TokenGrid maskGrid) {
    return new TokenGrid(maskGrid.t() * expand, maskGrid.h(), maskGrid.w());
  }
}
