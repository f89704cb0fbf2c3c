package org.bevt4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Param;

/**
 * A tiny decoder: a Linear ({@code lm_down} / {@code lm_down_st}), for video a x2 nearest temporal
 * upsampling (8 -> 16 frames in BEVT terms), then the backbone's shared {@code norm}, which it also
 * lists under its own name (the trainer must de-duplicate by identity).
 */
final class TinyDecoder extends Module implements Decoder {
  private final StreamKind stream;
  private final TinyBackbone backbone;
  private final Linear proj;

  TinyDecoder(StreamKind stream, TinyBackbone backbone) {
    this.stream = stream;
    this.backbone = backbone;
    this.proj = child(stream == StreamKind.VIDEO ? "lm_down_st" : "lm_down", new Linear(backbone.dim, backbone.dim, true, Init.truncNormal(0.02), Init.zeros()));
  }

  @Override
  public NDArray decode(BackboneOutput output, boolean training) {
    NDArray f = output.last().features(); // (B, C, t, h, w)
    Shape s = f.getShape();
    long b = s.get(0);
    long c = s.get(1);
    long t = s.get(2);
    long hw = s.get(3) * s.get(4);
    NDArray x = f.reshape(b, c, t, hw).transpose(0, 2, 3, 1); // (B, t, hw, C)
    x = proj.forward(x);
    if (stream == StreamKind.VIDEO) {
      x = x.expandDims(2).repeat(2, 2).reshape(b, 2 * t, hw, c);
    }
    return backbone.norm.forward(x.reshape(b, -1, c));
  }

  @Override
  public int featureDim() {
    return backbone.dim;
  }

  @Override
  public TokenGrid targetGrid(TokenGrid maskGrid) {
    return stream == StreamKind.VIDEO ? new TokenGrid(maskGrid.t() * 2, maskGrid.h(), maskGrid.w()) : maskGrid;
  }

  @Override
  public Map<String, Param> namedParameters() {
    Map<String, Param> m = new LinkedHashMap<>(super.namedParameters());
    backbone.norm.namedParameters().forEach((k, p) -> m.put("norm." + k, p));
    return m;
  }
}
