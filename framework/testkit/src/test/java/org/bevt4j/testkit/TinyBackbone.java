package org.bevt4j.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Param;

/**
 * A minimal two-stream backbone for the harness's own tests: per-frame p x p patches, a linear
 * embedding, a mask token and one mixing layer. Flags inject the faults the harness must catch.
 */
final class TinyBackbone extends Module implements Backbone {
  static final int PATCH = 8;
  static final int DIM = 8;
  private final Linear embed;
  private final Linear mix;
  private final Param maskToken;
  private final boolean ignoreMask;

  TinyBackbone(boolean unusedParam, boolean ignoreMask) {
    this.embed = child("embed", new Linear(3L * PATCH * PATCH, DIM, true));
    this.mix = child("mix", new Linear(DIM, DIM, true));
    this.maskToken = param("mask_token", new Shape(1, 1, DIM), Init.truncNormal(0.02));
    if (unusedParam) {
      child("unused", new Linear(DIM, DIM, true));
    }
    this.ignoreMask = ignoreMask;
  }

  @Override
  public BackboneOutput forwardVideo(NDArray video, NDArray mask, boolean training) {
    Shape s = video.getShape();
    long b = s.get(0);
    long t = s.get(2);
    long h = s.get(3) / PATCH;
    long w = s.get(4) / PATCH;
    NDArray x = video.reshape(b, 3, t, h, PATCH, w, PATCH).transpose(0, 2, 3, 5, 1, 4, 6).reshape(b, t * h * w, 3L * PATCH * PATCH);
    NDArray tokens = embed.forward(x);
    if (mask != null && !ignoreMask) {
      NDArray m = mask.reshape(b, t * h * w, 1).toType(DataType.FLOAT32, false);
      tokens = tokens.mul(m.neg().add(1)).add(maskToken.array().mul(m));
    }
    NDArray y = mix.forward(tokens).add(tokens);
    TokenGrid grid = new TokenGrid((int) t, (int) h, (int) w);
    return new BackboneOutput(StreamKind.VIDEO, List.of(FeatureMap.sequence("tokens", y, grid, 0)));
  }

  @Override
  public boolean supportsImages() {
    return true;
  }

  @Override
  public BackboneOutput forwardImage(NDArray images, NDArray mask, boolean training) {
    Shape s = images.getShape();
    NDArray video = images.reshape(s.get(0), 3, 1, s.get(2), s.get(3));
    NDArray m = mask == null ? null : mask.reshape(s.get(0), 1, s.get(2) / PATCH, s.get(3) / PATCH);
    FeatureMap f = forwardVideo(video, m, training).last();
    return new BackboneOutput(StreamKind.IMAGE, List.of(f));
  }

  @Override
  public TokenGrid maskGrid(StreamKind stream, int frames, int height, int width) {
    return new TokenGrid(frames, height / PATCH, width / PATCH);
  }

  @Override
  public String defaultDecoder(StreamKind stream) {
    return "tiny-" + stream.configName();
  }

  @Override
  public int numFeatures() {
    return DIM;
  }
}
