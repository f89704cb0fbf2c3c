package org.bevt4j.api;

import ai.djl.ndarray.NDArray;

/**
 * One named feature map of a backbone, channels-first: {@code (B, C, t, h, w)} for both streams
 * (images have {@code t == 1}), or {@code (B, N, C)} token sequences for non-hierarchical backbones
 * (then {@link #tokens()} is true and N == grid.size(), possibly plus leading class tokens given by
 * {@code prefixTokens}).
 */
@Stable
public record FeatureMap(String name, NDArray features, TokenGrid grid, boolean tokens, int prefixTokens) {
  /** A channels-first 5-D map. */
  public static FeatureMap spatial(String name, NDArray features, TokenGrid grid) {
    return new FeatureMap(name, features, grid, false, 0);
  }

  /** A (B, N, C) token sequence. */
  public static FeatureMap sequence(String name, NDArray features, TokenGrid grid, int prefixTokens) {
    return new FeatureMap(name, features, grid, true, prefixTokens);
  }

  public long channels() {
    return tokens ? features.getShape().get(2) : features.getShape().get(1);
  }
}
