package org.bevt4j.core.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Batches of square RGB frames in [0, 1] for tokenizer training. */
public interface FrameSource extends AutoCloseable {
  /** The next {@code (N, 3, S, S)} batch, created in {@code manager} (blocking). */
  NDArray next(NDManager manager);

  /** Where the source stands, for checkpoints ({@code epoch:batch}); empty when not resumable. */
  default String cursor() {
    return "";
  }

  @Override
  default void close() {}
}
