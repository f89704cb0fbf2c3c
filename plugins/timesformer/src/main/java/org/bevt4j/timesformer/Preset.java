package org.bevt4j.timesformer;

import java.util.Arrays;
import java.util.Locale;

/**
 * Standard TimeSformer sizes (reference-models §5.1). All are ViT-B/16 (embed 768, depth 12,
 * 12 heads, MLP ratio 4); they differ in resolution and clip length.
 */
public enum Preset {
  /** BEVT pretraining clips: 16 frames at 224. */
  BEVT(224, 16),
  /** TimeSformer (base): 8 frames at 224. */
  BASE(224, 8),
  /** TimeSformer-HR: 16 frames at 448. */
  HR(448, 16),
  /** TimeSformer-L: 96 frames at 224. */
  LARGE(224, 96);

  public static final int PATCH_SIZE = 16;
  public static final int EMBED_DIM = 768;
  public static final int DEPTH = 12;
  public static final int NUM_HEADS = 12;
  public static final double MLP_RATIO = 4.0;

  private final int imgSize;
  private final int numFrames;

  Preset(int imgSize, int numFrames) {
    this.imgSize = imgSize;
    this.numFrames = numFrames;
  }

  public int imgSize() {
    return imgSize;
  }

  public int numFrames() {
    return numFrames;
  }

  /** The configuration name ({@code bevt}, {@code base}, {@code hr}, {@code large}). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static String[] configNames() {
    return Arrays.stream(values()).map(Preset::configName).toArray(String[]::new);
  }

  public static Preset parse(String name) {
    for (Preset p : values()) {
      if (p.configName().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown preset " + name + "; known: " + Arrays.toString(configNames()));
  }
}
