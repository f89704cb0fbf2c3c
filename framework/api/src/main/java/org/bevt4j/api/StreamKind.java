package org.bevt4j.api;

/** The two BEVT streams: masked image modeling and masked video modeling. */
@Stable
public enum StreamKind {
  IMAGE,
  VIDEO;

  /** The lower-case name used in configuration ({@code image}, {@code video}). */
  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses {@code image} or {@code video}. */
  public static StreamKind fromConfigName(String name) {
    for (StreamKind k : values()) {
      if (k.configName().equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown stream \"" + name + "\"; known: [image, video]");
  }
}
