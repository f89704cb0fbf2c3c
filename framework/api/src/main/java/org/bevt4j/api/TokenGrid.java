package org.bevt4j.api;

/**
 * A (t, h, w) grid of tokens. Images have {@code t == 1}. Positions are flattened in (t, h, w)
 * row-major order everywhere in bevt4j (masks, token ids, decoder outputs).
 */
@Stable
public record TokenGrid(int t, int h, int w) {
  public TokenGrid {
    if (t < 1 || h < 1 || w < 1) {
      throw new IllegalArgumentException("token grid sizes must be >= 1, got " + t + "x" + h + "x" + w);
    }
  }

  /** A 2-D grid for images. */
  public static TokenGrid image(int h, int w) {
    return new TokenGrid(1, h, w);
  }

  /** Number of positions (t*h*w). */
  public int size() {
    return t * h * w;
  }

  /** Positions per time slice (h*w). */
  public int plane() {
    return h * w;
  }

  @Override
  public String toString() {
    return t + "x" + h + "x" + w;
  }
}
