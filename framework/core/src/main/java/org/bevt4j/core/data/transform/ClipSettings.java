package org.bevt4j.core.data.transform;

/**
 * Temporal sampling of a clip.
 *
 * @param clipLen frames per clip (BEVT: 16)
 * @param frameInterval stride between sampled frames (BEVT pretraining: 8)
 * @param sampling {@link Sampling#RANDOM} = mmaction {@code SampleFrames} (random offset, wrap
 *     around when short); {@link Sampling#UNIFORM_SEGMENTS} = one frame per equal segment (SSv2)
 */
public record ClipSettings(int clipLen, int frameInterval, Sampling sampling) {
  public ClipSettings {
    if (clipLen < 1 || frameInterval < 1) {
      throw new IllegalArgumentException("clip-len and frame-interval must be >= 1, got " + clipLen + ", " + frameInterval);
    }
  }

  /** Temporal sampling strategies. */
  public enum Sampling {
    RANDOM("random"),
    UNIFORM_SEGMENTS("uniform-segments");

    private final String configName;

    Sampling(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }

    /** Parses {@code random} or {@code uniform-segments}. */
    public static Sampling of(String name) {
      for (Sampling s : values()) {
        if (s.configName.equals(name)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown sampling \"" + name + "\"; known: [random, uniform-segments]");
    }
  }
}
