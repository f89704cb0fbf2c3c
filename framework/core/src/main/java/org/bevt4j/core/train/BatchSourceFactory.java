package org.bevt4j.core.train;

import org.bevt4j.api.Dataset;
import org.bevt4j.api.StreamKind;

/** Opens the {@link BatchSource} of one stream for one stage. */
@FunctionalInterface
public interface BatchSourceFactory {
  /**
   * @param stream the stream
   * @param dataset its dataset
   * @param batchSize samples per micro-batch
   * @param seed the seed of this source (derived from the run seed, the stage and the stream); the
   *     source must be a deterministic function of it
   */
  BatchSource open(StreamKind stream, Dataset dataset, int batchSize, long seed);

  /** The single-threaded {@link DatasetBatchSource}. */
  static BatchSourceFactory simple() {
    return DatasetBatchSource::new;
  }

  /** The single-threaded {@link DatasetBatchSource}, reading rank {@code rank}'s shard of {@code world}. */
  static BatchSourceFactory simple(int rank, int world) {
    return (stream, dataset, batchSize, seed) -> new DatasetBatchSource(stream, dataset, batchSize, seed, rank, world);
  }
}
