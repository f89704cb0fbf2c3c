package org.bevt4j.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * What a backbone returns for one stream: its named feature maps in order (e.g. Video Swin:
 * {@code stage1..stage4} outputs plus {@code stage3.pre} before the last merge).
 */
@Stable
public final class BackboneOutput {
  private final StreamKind stream;
  private final Map<String, FeatureMap> maps = new LinkedHashMap<>();

  public BackboneOutput(StreamKind stream, List<FeatureMap> maps) {
    this.stream = stream;
    for (FeatureMap m : maps) {
      if (this.maps.put(m.name(), m) != null) {
        throw new IllegalArgumentException("duplicate feature map name " + m.name());
      }
    }
  }

  public StreamKind stream() {
    return stream;
  }

  /** The named map; throws naming the available ones when absent. */
  public FeatureMap get(String name) {
    FeatureMap m = maps.get(name);
    if (m == null) {
      throw new NoSuchElementException(
          "backbone output has no feature map \"" + name + "\"; available: " + maps.keySet());
    }
    return m;
  }

  public boolean has(String name) {
    return maps.containsKey(name);
  }

  /** All maps in order. */
  public List<FeatureMap> all() {
    return new ArrayList<>(maps.values());
  }

  /** The last map (the backbone's final output). */
  public FeatureMap last() {
    FeatureMap last = null;
    for (FeatureMap m : maps.values()) {
      last = m;
    }
    return last;
  }
}
