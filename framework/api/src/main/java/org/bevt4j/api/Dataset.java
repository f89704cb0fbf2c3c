package org.bevt4j.api;

import java.io.IOException;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * An indexable source of samples for one stream. {@link #load} must be thread-safe and
 * deterministic for a given index and RNG state (the loader gives each sample its own RNG derived
 * from the seed, the epoch and the index).
 */
@Stable
public interface Dataset extends AutoCloseable {
  StreamKind stream();

  long size();

  /** Class names, index = label; empty for unlabelled data. */
  List<String> classes();

  /**
   * Loads and augments one sample.
   *
   * @throws IOException when the underlying file is missing, truncated or undecodable; the loader
   *     skips and counts it or stops, per {@code bevt.data.loader.on-error}
   */
  Sample load(long index, RandomGenerator rng) throws IOException;

  @Override
  default void close() {}
}
