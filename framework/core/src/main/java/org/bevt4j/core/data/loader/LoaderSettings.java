package org.bevt4j.core.data.loader;

import com.typesafe.config.Config;
import org.bevt4j.api.Settings;

/**
 * {@code bevt.data.loader}.
 *
 * @param workers decoding/augmentation threads; 0 = one per core
 * @param prefetch batches prepared ahead of the consumer
 * @param onError skip or fail on bad samples
 * @param shuffle reshuffle every epoch (seeded by the run seed and the epoch)
 * @param dropLast drop the last incomplete batch of an epoch
 * @param maxRetries replacement samples tried for one slot before giving up (skip policy)
 */
public record LoaderSettings(int workers, int prefetch, OnError onError, boolean shuffle, boolean dropLast, int maxRetries) {
  public LoaderSettings {
    if (workers < 0 || prefetch < 1 || maxRetries < 0) {
      throw new IllegalArgumentException("loader needs workers >= 0, prefetch >= 1, max-retries >= 0");
    }
  }

  /** Defaults: all cores, 4 batches ahead, skip bad samples, shuffle, drop last. */
  public static LoaderSettings defaults() {
    return new LoaderSettings(0, 4, OnError.SKIP, true, true, 16);
  }

  /** Parses a {@code bevt.data.loader} block. */
  public static LoaderSettings parse(Config block) {
    Settings s = Settings.of(block, "bevt.data.loader");
    return new LoaderSettings(
        s.intIn("workers", 0, 1024),
        s.intIn("prefetch", 1, 1024),
        OnError.valueOf(s.oneOf("on-error", "skip", "fail").toUpperCase(java.util.Locale.ROOT)),
        s.bool("shuffle"),
        s.bool("drop-last"),
        s.intIn("max-retries", 0, 1_000_000));
  }

  /** The effective number of worker threads. */
  public int threads() {
    return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
  }

  public LoaderSettings withWorkers(int n) {
    return new LoaderSettings(n, prefetch, onError, shuffle, dropLast, maxRetries);
  }

  public LoaderSettings withPrefetch(int n) {
    return new LoaderSettings(workers, n, onError, shuffle, dropLast, maxRetries);
  }

  public LoaderSettings withOnError(OnError e) {
    return new LoaderSettings(workers, prefetch, e, shuffle, dropLast, maxRetries);
  }

  public LoaderSettings withShuffle(boolean s, boolean drop) {
    return new LoaderSettings(workers, prefetch, onError, s, drop, maxRetries);
  }
}
