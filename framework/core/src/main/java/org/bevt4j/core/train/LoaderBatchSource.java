package org.bevt4j.core.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.loader.DataLoadException;
import org.bevt4j.core.data.loader.DataLoader;
import org.bevt4j.core.data.loader.HostBatch;
import org.bevt4j.core.data.loader.LoaderCursor;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's {@link BatchSource} over the multi-threaded {@link DataLoader}: decoding and
 * augmentation on worker threads with bounded prefetch, order and content a function of the seed
 * only, the loader's {@code epoch:batch} cursor saved in checkpoints for exact resume, this rank's
 * shard of each epoch when data-parallel.
 */
public final class LoaderBatchSource implements BatchSource {
  private static final Logger LOG = LoggerFactory.getLogger(LoaderBatchSource.class);

  private final StreamKind stream;
  private final DataLoader loader;

  public LoaderBatchSource(StreamKind stream, Dataset dataset, LoaderSettings settings, int batchSize, long seed, int rank, int world) {
    this.stream = stream;
    this.loader = new DataLoader(dataset, settings, batchSize, seed, rank, world, LoaderCursor.start());
  }

  /** A factory opening one loader per stream and stage. */
  public static BatchSourceFactory factory(LoaderSettings settings, int rank, int world) {
    return (stream, dataset, batchSize, seed) -> new LoaderBatchSource(stream, dataset, settings, batchSize, seed, rank, world);
  }

  @Override
  public StreamKind stream() {
    return stream;
  }

  @Override
  public int batchSize() {
    return loader.batchSize();
  }

  @Override
  public long batchesPerEpoch() {
    return loader.batchesPerEpoch();
  }

  @Override
  public long epoch() {
    return loader.cursor().epoch();
  }

  @Override
  public List<Sample> next() throws IOException {
    HostBatch b;
    try {
      b = loader.next();
    } catch (DataLoadException e) {
      throw new IOException(e.getMessage(), e);
    }
    List<Sample> out = new ArrayList<>(b.size());
    for (int i = 0; i < b.size(); i++) {
      out.add(new Sample(row(b.input(), i), b.tokenizerInput() == null ? null : row(b.tokenizerInput(), i), b.labels()[i], b.sources().get(i)));
    }
    return out;
  }

  /** Sample {@code i} of a batched host tensor. */
  static HostTensor row(HostTensor batch, int i) {
    long[] shape = batch.shape();
    long[] one = java.util.Arrays.copyOfRange(shape, 1, shape.length);
    int per = batch.data().length / (int) shape[0];
    float[] data = new float[per];
    System.arraycopy(batch.data(), i * per, data, 0, per);
    return new HostTensor(data, one);
  }

  @Override
  public JsonElement cursor() {
    return new JsonPrimitive(loader.cursor().toString());
  }

  @Override
  public void restore(JsonElement cursor) {
    loader.seek(LoaderCursor.parse(cursor.getAsString()));
  }

  @Override
  public void close() {
    String summary = loader.badSamples().summary();
    if (!"no bad samples".equals(summary)) {
      LOG.warn("{} data: {}", stream.configName(), summary);
    }
    loader.close();
  }
}
