package org.bevt4j.core.data.transform;

import java.io.IOException;

/** Decodes the frames of one video at the given 0-based indices. */
@FunctionalInterface
public interface FrameFetcher {
  /**
   * @param indices strictly increasing frame indices
   * @return one frame per index, all of the same size
   */
  RgbFrame[] fetch(int[] indices) throws IOException;
}
