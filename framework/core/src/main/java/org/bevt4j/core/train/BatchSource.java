package org.bevt4j.core.train;

import java.io.IOException;
import java.util.List;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;

/**
 * An endless, resumable sequence of same-shape micro-batches for one stream, cycling over epochs.
 * The data pipeline's multi-threaded loader implements it; {@link DatasetBatchSource} is the simple
 * single-threaded default.
 */
public interface BatchSource extends ResumableSource, AutoCloseable {
  StreamKind stream();

  /** Samples per batch. */
  int batchSize();

  /** Batches per epoch (>= 1). */
  long batchesPerEpoch();

  /** The zero-based epoch the next batch belongs to. */
  long epoch();

  /** The next batch of exactly {@link #batchSize()} samples; blocks until it is ready. */
  List<Sample> next() throws IOException;

  @Override
  void close();
}
