package org.bevt4j.core.data.loader;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multi-threaded, deterministic, resumable batch loader.
 *
 * <ul>
 *   <li>Order: a per-epoch permutation from (seed, epoch) ({@link EpochOrder}); each rank reads its
 *       own slice (sharding hooks {@code rank}/{@code world}).
 *   <li>Determinism: sample {@code i} of epoch {@code e} is augmented with an RNG derived from
 *       (seed, e, i) only, and batches are returned in order, so the output does not depend on the
 *       number of workers or on thread timing.
 *   <li>Prefetch: up to {@code prefetch} batches (at least {@code workers}) are in flight; each
 *       sample is a task on the worker pool and is copied into its batch slot by the worker.
 *   <li>Resume: {@link #cursor()} is the position of the next batch; {@link #seek} restores it.
 *   <li>Bad data: under {@link OnError#SKIP} a sample that throws {@link IOException} is recorded in
 *       {@link #badSamples()} and its slot is filled by a deterministic replacement; under
 *       {@link OnError#FAIL} {@link #next()} throws a {@link DataLoadException} naming the file.
 *   <li>{@link #close()} stops and joins all worker threads.
 * </ul>
 *
 * <p>{@link #next()} / {@link #seek} / {@link #cursor()} are meant for one consumer thread.
 */
public final class DataLoader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataLoader.class);
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final Dataset dataset;
  private final LoaderSettings settings;
  private final int batchSize;
  private final long seed;
  private final EpochOrder order;
  private final long batchesPerEpoch;
  private final ExecutorService pool;
  private final ArrayDeque<BatchBuilder> pending = new ArrayDeque<>();
  private final BadSamples bad = new BadSamples();
  private final int inFlight;
  private final java.util.List<Thread> threads = new java.util.ArrayList<>();
  private LoaderCursor consume;
  private LoaderCursor produce;
  private long cachedEpoch = -1;
  private long[] cachedSlice;
  private volatile boolean closed;
  private BevtException failure;

  /** A single-rank loader starting at epoch 0. */
  public DataLoader(Dataset dataset, LoaderSettings settings, int batchSize, long seed) {
    this(dataset, settings, batchSize, seed, 0, 1, LoaderCursor.start());
  }

  /**
   * @param rank this process's rank in [0, world)
   * @param world number of ranks reading disjoint slices of every epoch
   * @param start where to begin (a saved {@link #cursor()} to resume)
   */
  public DataLoader(Dataset dataset, LoaderSettings settings, int batchSize, long seed, int rank, int world, LoaderCursor start) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.dataset = dataset;
    this.settings = settings;
    this.batchSize = batchSize;
    this.seed = seed;
    this.order = new EpochOrder(dataset.size(), seed, settings.shuffle(), rank, world);
    long per = order.perRank();
    this.batchesPerEpoch = settings.dropLast() ? per / batchSize : (per + batchSize - 1) / batchSize;
    if (batchesPerEpoch == 0) {
      throw new BevtException("dataset of " + dataset.size() + " " + dataset.stream().configName() + " samples gives "
          + per + " per rank (world " + world + "), fewer than one batch of " + batchSize + " with drop-last = true");
    }
    if (start.batch() >= batchesPerEpoch) {
      throw new IllegalArgumentException("cursor " + start + " is past the " + batchesPerEpoch + " batches of an epoch");
    }
    int workers = settings.threads();
    this.inFlight = Math.max(settings.prefetch(), workers);
    int id = POOLS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf = r -> {
      Thread t = new Thread(r, "bevt4j-data-" + dataset.stream().configName() + "-" + id + "-" + n.incrementAndGet());
      t.setDaemon(true);
      synchronized (threads) {
        this.threads.add(t);
      }
      return t;
    };
    this.pool = Executors.newFixedThreadPool(workers, tf);
    this.consume = start;
    this.produce = start;
  }

  /**
   * A loader for one stream as configured: batch size from {@code bevt.data.<stream>.batch-size},
   * threads/prefetch/policy from {@code bevt.data.loader}.
   *
   * @param data the {@code bevt.data} subtree
   */
  public static DataLoader forStream(Dataset dataset, com.typesafe.config.Config data, long seed, int rank, int world,
      LoaderCursor start) {
    String stream = dataset.stream().configName();
    int batch = org.bevt4j.api.Settings.of(data.getConfig(stream), "bevt.data." + stream).intIn("batch-size", 1, 1 << 20);
    return new DataLoader(dataset, LoaderSettings.parse(data.getConfig("loader")), batch, seed, rank, world, start);
  }

  /** Batches per epoch on this rank. */
  public long batchesPerEpoch() {
    return batchesPerEpoch;
  }

  /** The position of the batch the next {@link #next()} returns. */
  public LoaderCursor cursor() {
    return consume;
  }

  /** Bad samples met so far. */
  public BadSamples badSamples() {
    return bad;
  }

  public Dataset dataset() {
    return dataset;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Restarts from a saved cursor; batches already prepared are discarded and a failure is cleared. */
  public void seek(LoaderCursor c) {
    failure = null;
    if (c.batch() >= batchesPerEpoch) {
      throw new IllegalArgumentException("cursor " + c + " is past the " + batchesPerEpoch + " batches of an epoch");
    }
    for (BatchBuilder b : pending) {
      b.cancelled = true;
    }
    pending.clear();
    consume = c;
    produce = c;
  }

  /** The next batch (blocking); rolls over to the next epoch after the last batch of one. */
  public HostBatch next() {
    if (closed) {
      throw new IllegalStateException("data loader is closed");
    }
    if (failure != null) {
      throw failure; // the stream has a hole; never hand out batches past it
    }
    fill();
    BatchBuilder b = pending.poll();
    HostBatch out;
    try {
      out = b.future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BevtException("interrupted while waiting for a batch", e);
    } catch (ExecutionException | CancellationException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      failure = c instanceof BevtException be ? be : new BevtException("data loading failed: " + c, c);
      throw failure;
    }
    consume = consume.next(batchesPerEpoch);
    fill();
    return out;
  }

  private void fill() {
    while (pending.size() < inFlight) {
      pending.add(submit(produce));
      produce = produce.next(batchesPerEpoch);
    }
  }

  private long[] slice(long epoch) {
    if (epoch != cachedEpoch) {
      cachedSlice = order.slice(epoch);
      cachedEpoch = epoch;
    }
    return cachedSlice;
  }

  private BatchBuilder submit(LoaderCursor c) {
    long[] s = slice(c.epoch());
    int from = (int) (c.batch() * batchSize);
    int to = Math.min(from + batchSize, s.length);
    long[] idx = Arrays.copyOfRange(s, from, to);
    BatchBuilder b = new BatchBuilder(dataset.stream(), c, idx);
    for (int slot = 0; slot < idx.length; slot++) {
      int k = slot;
      pool.execute(() -> runSlot(b, k));
    }
    return b;
  }

  private void runSlot(BatchBuilder b, int slot) {
    if (b.cancelled || closed || b.future.isDone()) {
      b.future.cancel(false);
      return;
    }
    try {
      b.put(slot, loadWithReplacement(b.cursor.epoch(), b.indices[slot]));
      b.done();
    } catch (Throwable t) {
      b.future.completeExceptionally(t);
    }
  }

  private Sample loadWithReplacement(long epoch, long index) {
    long idx = index;
    for (int attempt = 0; ; attempt++) {
      if (!bad.isKnownBad(idx)) {
        try {
          return dataset.load(idx, Seeds.sample(seed, epoch, idx, attempt));
        } catch (IOException e) {
          if (closed) {
            throw new CancellationException("data loader closed");
          }
          String source = describe(idx);
          if (settings.onError() == OnError.FAIL) {
            throw new DataLoadException(source, "cannot load " + source + " (on-error = fail): " + e.getMessage(), e);
          }
          bad.record(idx, source, e.getMessage());
        }
      } else {
        bad.recordKnown(idx);
      }
      if (attempt >= settings.maxRetries()) {
        throw new DataLoadException(describe(idx), "gave up after " + (attempt + 1) + " bad samples in a row (last: "
            + describe(idx) + "); " + bad.summary(), null);
      }
      idx = Seeds.sample(seed, epoch ^ 0x5EED, index, attempt + 1).nextLong(dataset.size());
    }
  }

  private String describe(long idx) {
    if (dataset instanceof Describable d) {
      return d.describe(idx);
    }
    return dataset.stream().configName() + " sample " + idx;
  }

  /** Datasets that can name the file behind an index (for error reports). */
  public interface Describable {
    String describe(long index);
  }

  /** Stops the workers and waits for them (pending batches are dropped). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (BatchBuilder b : pending) {
      b.cancelled = true;
    }
    pending.clear();
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.warn("data loader workers did not stop within 60 s");
      }
      java.util.List<Thread> started;
      synchronized (threads) {
        started = new java.util.ArrayList<>(threads);
      }
      for (Thread t : started) {
        t.join(10_000); // the pool terminates just before its threads exit; wait for them too
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (bad.skipped() > 0) {
      LOG.info("data loader ({}): {}", dataset.stream().configName(), bad.summary());
    }
  }
}
