package org.bevt4j.core.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;

/**
 * A single-threaded {@link BatchSource} over a {@link Dataset}: each epoch visits a seeded
 * permutation of the samples in batches (the incomplete last batch is dropped), each sample loaded
 * with its own RNG derived from (seed, epoch, index). The cursor is {@code {epoch, batch}}. A
 * sample that fails to load stops training with an error naming the dataset index.
 *
 * <p>Data-parallel: rank {@code r} of {@code world} reads positions {@code r, r + world, ...} of each
 * epoch's permutation ({@code floor(size / world)} of them, so every rank has the same number of
 * batches); the ranks' batches {@code j} together are the positions of a single process's batch
 * {@code j} of {@code world ×} the size.
 */
public final class DatasetBatchSource implements BatchSource {
  private final StreamKind stream;
  private final Dataset dataset;
  private final int batchSize;
  private final long seed;
  private final int rank;
  private final int world;
  private final long batchesPerEpoch;
  private long epoch;
  private long batch;
  private int[] order;

  public DatasetBatchSource(StreamKind stream, Dataset dataset, int batchSize, long seed) {
    this(stream, dataset, batchSize, seed, 0, 1);
  }

  /** This rank's shard of every epoch. */
  public DatasetBatchSource(StreamKind stream, Dataset dataset, int batchSize, long seed, int rank, int world) {
    if (world < 1 || rank < 0 || rank >= world) {
      throw new IllegalArgumentException("rank " + rank + " is not in [0, world " + world + ")");
    }
    this.stream = stream;
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.seed = seed;
    this.rank = rank;
    this.world = world;
    long size = dataset.size();
    if (size > Integer.MAX_VALUE) {
      throw new BevtException(stream.configName() + " dataset has " + size + " samples; at most " + Integer.MAX_VALUE + " are supported");
    }
    long perRank = size / world;
    if (perRank < batchSize) {
      throw new BevtException(
          stream.configName() + " dataset has " + size + " samples" + (world > 1 ? " (" + perRank + " per rank of " + world + ")" : "")
              + ", fewer than one batch of " + batchSize + " (bevt.train.batch-size." + stream.configName() + ")");
    }
    this.batchesPerEpoch = perRank / batchSize;
  }

  @Override
  public StreamKind stream() {
    return stream;
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  public long batchesPerEpoch() {
    return batchesPerEpoch;
  }

  @Override
  public long epoch() {
    return batch >= batchesPerEpoch ? epoch + 1 : epoch;
  }

  @Override
  public List<Sample> next() throws IOException {
    if (batch >= batchesPerEpoch) {
      epoch++;
      batch = 0;
      order = null;
    }
    if (order == null) {
      order = permutation((int) dataset.size(), Rngs.random(seed, Rngs.DATA, epoch));
    }
    List<Sample> out = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      int index = order[(int) ((batch * batchSize + i) * world + rank)];
      try {
        out.add(dataset.load(index, Rngs.random(seed, epoch, index)));
      } catch (IOException e) {
        throw new IOException(stream.configName() + " sample " + index + " (epoch " + epoch + "): " + e.getMessage(), e);
      }
    }
    batch++;
    return out;
  }

  static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  @Override
  public JsonElement cursor() {
    JsonObject o = new JsonObject();
    o.addProperty("epoch", epoch);
    o.addProperty("batch", batch);
    return o;
  }

  @Override
  public void restore(JsonElement cursor) {
    JsonObject o = cursor.getAsJsonObject();
    epoch = o.get("epoch").getAsLong();
    batch = o.get("batch").getAsLong();
    order = null;
  }

  @Override
  public void close() {
    // the dataset belongs to the caller
  }
}
