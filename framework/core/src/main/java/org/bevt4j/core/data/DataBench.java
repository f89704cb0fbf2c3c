package org.bevt4j.core.data;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Locale;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.loader.DataLoader;
import org.bevt4j.core.data.loader.HostBatch;
import org.bevt4j.core.data.loader.LoaderSettings;

/**
 * Data-pipeline throughput: runs the real {@link DataLoader} (decode + augmentation + tokenizer copy
 * + batching) with a given number of threads for a time or sample budget and reports samples per
 * second after a short warm-up. {@code bevt4j bench data --json FILE} writes {@link Result#toJson()}.
 */
public final class DataBench {
  private DataBench() {}

  /**
   * One measurement.
   *
   * @param clipsPerSecond video-stream samples per second (0 when the video stream was not run)
   * @param imagesPerSecond image-stream samples per second (0 when not run)
   * @param threads loader worker threads
   * @param clips clips measured
   * @param images images measured
   * @param seconds measured wall time (both streams)
   * @param skipped bad samples replaced during the run
   * @param cpuSeconds process CPU time used while measuring (all threads); samples per CPU-second
   *     estimate per-core throughput even on a busy machine
   */
  public record Result(double clipsPerSecond, double imagesPerSecond, int threads, long clips, long images,
      double seconds, long skipped, double cpuSeconds) {
    /** Clips per second per thread. */
    public double clipsPerSecondPerThread() {
      return clipsPerSecond / threads;
    }

    /** {@code {"clips_per_s": .., "images_per_s": .., "threads": .., ...}}. */
    public String toJson() {
      return String.format(Locale.ROOT,
          "{\"clips_per_s\": %.3f, \"images_per_s\": %.3f, \"threads\": %d, \"clips\": %d, \"images\": %d, "
              + "\"seconds\": %.3f, \"skipped\": %d, \"cpu_s\": %.3f}",
          clipsPerSecond, imagesPerSecond, threads, clips, images, seconds, skipped, cpuSeconds);
    }
  }

  /** Throughput of one stream. */
  public record StreamResult(StreamKind stream, long samples, double seconds, long skipped, double cpuSeconds) {
    public double perSecond() {
      return seconds > 0 ? samples / seconds : 0;
    }
  }

  /**
   * Benchmarks both streams of a {@code bevt.data} block (video first, then images), each for
   * {@code perStream} or {@code maxSamples} samples, whichever comes first.
   *
   * @param data the {@code bevt.data} subtree
   * @param ctx may be null (paths are then used as given)
   */
  public static Result run(Config data, BuildContext ctx, int threads, Duration perStream, long maxSamples, long seed) {
    LoaderSettings ls = LoaderSettings.parse(data.getConfig("loader")).withWorkers(threads);
    StreamResult v;
    StreamResult i;
    try (Dataset ds = DataSources.create(data.getConfig("video"), ctx)) {
      v = measure(ds, ls, StreamSettings.parse(data.getConfig("video"), ctx).batchSize(), perStream, maxSamples, seed);
    }
    try (Dataset ds = DataSources.create(data.getConfig("image"), ctx)) {
      i = measure(ds, ls, StreamSettings.parse(data.getConfig("image"), ctx).batchSize(), perStream, maxSamples, seed);
    }
    return combine(v, i, ls.threads());
  }

  /** Benchmarks one dataset. */
  public static Result run(Dataset ds, int threads, int batchSize, Duration time, long maxSamples, long seed) {
    LoaderSettings ls = LoaderSettings.defaults().withWorkers(threads).withPrefetch(Math.max(2, threads));
    StreamResult r = measure(ds, ls, batchSize, time, maxSamples, seed);
    return ds.stream() == StreamKind.VIDEO ? combine(r, null, ls.threads()) : combine(null, r, ls.threads());
  }

  private static Result combine(StreamResult v, StreamResult i, int threads) {
    return new Result(v == null ? 0 : v.perSecond(), i == null ? 0 : i.perSecond(), threads,
        v == null ? 0 : v.samples(), i == null ? 0 : i.samples(),
        (v == null ? 0 : v.seconds()) + (i == null ? 0 : i.seconds()),
        (v == null ? 0 : v.skipped()) + (i == null ? 0 : i.skipped()),
        (v == null ? 0 : v.cpuSeconds()) + (i == null ? 0 : i.cpuSeconds()));
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  /** Loads batches for the budget; the first batches (up to 10 % of the time) are a warm-up. */
  public static StreamResult measure(Dataset ds, LoaderSettings ls, int batchSize, Duration time, long maxSamples, long seed) {
    int batch = (int) Math.max(1, Math.min(batchSize, ds.size()));
    LoaderSettings s = ls.withShuffle(true, true);
    try (DataLoader loader = new DataLoader(ds, s, batch, seed)) {
      long budget = time.toNanos();
      long warmupEnd = System.nanoTime() + Math.min(budget / 10, Duration.ofSeconds(3).toNanos());
      // warm-up: JIT, thread start, caches
      do {
        loader.next();
      } while (System.nanoTime() < warmupEnd);
      long t0 = System.nanoTime();
      long cpu0 = processCpuNanos();
      long n = 0;
      while (System.nanoTime() - t0 < budget && n < maxSamples) {
        HostBatch b = loader.next();
        n += b.size();
      }
      double sec = (System.nanoTime() - t0) / 1e9;
      double cpu = cpu0 < 0 ? 0 : (processCpuNanos() - cpu0) / 1e9;
      return new StreamResult(ds.stream(), n, sec, loader.badSamples().skipped(), cpu);
    }
  }
}
