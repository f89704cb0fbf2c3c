package org.bevt4j.peco;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.bevt4j.nn.Scalars;

/** How pixels in [0, 1] are mapped to the encoder's input convention ({@code pixel-range}). */
public enum PixelRange {
  /** {@code 2x - 1}: the VQGAN / taming convention [-1, 1]. */
  MINUS_ONE_ONE("minus-one-one"),
  /** Unchanged [0, 1]. */
  ZERO_ONE("zero-one"),
  /** {@code (x - mean[c]) / std[c]} per channel. */
  MEAN_STD("mean-std");

  private final String key;

  PixelRange(String key) {
    this.key = key;
  }

  /** The configuration spelling. */
  public String key() {
    return key;
  }

  /** All configuration spellings. */
  public static String[] keys() {
    PixelRange[] v = values();
    String[] out = new String[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i].key;
    }
    return out;
  }

  public static PixelRange fromKey(String key) {
    for (PixelRange r : values()) {
      if (r.key.equals(key)) {
        return r;
      }
    }
    throw new IllegalArgumentException("pixel-range \"" + key + "\" is unknown; allowed: " + List.of(keys()));
  }

  /** Maps {@code pixels (N, C, H, W)} in [0, 1]; {@code mean}/{@code std} are used by MEAN_STD only. */
  public NDArray apply(NDArray pixels, List<Double> mean, List<Double> std) {
    return switch (this) {
      case MINUS_ONE_ONE -> Scalars.sub(Scalars.mul(pixels, 2), 1);
      case ZERO_ONE -> pixels;
      case MEAN_STD -> pixels.sub(perChannel(pixels, mean)).div(perChannel(pixels, std));
    };
  }

  /**
   * The inverse of {@link #apply}: model-convention values back to the [0, 1] pixel scale (not
   * clipped; a decoder's output may leave the range).
   */
  public NDArray invert(NDArray x, List<Double> mean, List<Double> std) {
    return switch (this) {
      case MINUS_ONE_ONE -> Scalars.mul(Scalars.add(x, 1), 0.5);
      case ZERO_ONE -> x;
      case MEAN_STD -> x.mul(perChannel(x, std)).add(perChannel(x, mean));
    };
  }

  private static NDArray perChannel(NDArray like, List<Double> values) {
    int c = values.size();
    float[] v = new float[c];
    for (int i = 0; i < c; i++) {
      v[i] = values.get(i).floatValue();
    }
    return like.getManager().create(v).reshape(1, c, 1, 1);
  }
}
