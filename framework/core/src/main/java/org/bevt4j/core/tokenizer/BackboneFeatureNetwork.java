package org.bevt4j.core.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.tokenizer.FeatureNetwork;
import org.bevt4j.nn.Param;

/**
 * A frozen backbone's image-stream feature maps as perceptual features (PeCo compares deep features
 * of a self-supervised transformer): pixels in [0, 1] are normalised with {@code mean}/{@code std},
 * optionally resized (bilinear) to {@code inputSize}, forwarded through
 * {@link Backbone#forwardImage} without a mask in eval mode, and the chosen maps are returned as
 * {@code (N, C, h, w)} (token sequences are reshaped onto their grid, class tokens dropped).
 */
public final class BackboneFeatureNetwork implements FeatureNetwork {
  private final Backbone backbone;
  private final List<String> maps;
  private final float[] mean;
  private final float[] std;
  private final int inputSize;
  private final String description;

  /**
   * @param maps feature-map names to use (empty = all)
   * @param inputSize resize to this square size first (0 = keep the tokenizer's size)
   */
  public BackboneFeatureNetwork(Backbone backbone, List<String> maps, float[] mean, float[] std, int inputSize, String description) {
    if (!backbone.supportsImages()) {
      throw new IllegalArgumentException("the backbone has no image stream; it cannot serve as a perceptual network");
    }
    for (Param p : backbone.namedParameters().values()) {
      p.setTrainable(false);
    }
    this.backbone = backbone;
    this.maps = List.copyOf(maps);
    this.mean = mean.clone();
    this.std = std.clone();
    this.inputSize = inputSize;
    this.description = description;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public List<NDArray> features(NDArray pixels) {
    NDArray m = pixels.getManager().create(mean).reshape(1, 3, 1, 1);
    NDArray s = pixels.getManager().create(std).reshape(1, 3, 1, 1);
    NDArray x = pixels.sub(m).div(s);
    if (inputSize > 0 && (x.getShape().get(2) != inputSize || x.getShape().get(3) != inputSize)) {
      x = x.getNDArrayInternal().interpolation(new long[] {inputSize, inputSize}, 1, false);
    }
    BackboneOutput out = backbone.forwardImage(x, null, false);
    List<FeatureMap> chosen = new ArrayList<>();
    if (maps.isEmpty()) {
      chosen.addAll(out.all());
    } else {
      for (String name : maps) {
        chosen.add(out.get(name));
      }
    }
    List<NDArray> f = new ArrayList<>();
    for (FeatureMap fm : chosen) {
      f.add(planar(fm));
    }
    return f;
  }

  /** {@code (N, C, h, w)} for a map: 5-D maps lose their t axis (t = 1), sequences are gridded. */
  static NDArray planar(FeatureMap fm) {
    NDArray a = fm.features();
    Shape s = a.getShape();
    if (!fm.tokens()) {
      return s.dimension() == 5 ? a.reshape(s.get(0), s.get(1), s.get(2) * s.get(3), s.get(4)) : a;
    }
    long n = s.get(0);
    long c = s.get(2);
    NDArray seq = fm.prefixTokens() > 0 ? a.get(":, " + fm.prefixTokens() + ":, :") : a;
    return seq.reshape(n, (long) fm.grid().t() * fm.grid().h(), fm.grid().w(), c).transpose(0, 3, 1, 2);
  }
}
