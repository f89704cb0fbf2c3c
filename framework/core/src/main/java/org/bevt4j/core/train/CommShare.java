package org.bevt4j.core.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accumulates the time data-parallel steps spend communicating (statistics and gradient
 * all-reduce) against their wall time, and logs the share once per stage (and on stop).
 */
final class CommShare {
  private static final Logger LOG = LoggerFactory.getLogger("org.bevt4j.train");

  private long steps;
  private long commNanos;
  private long wallNanos;

  void add(long comm, long wall) {
    steps++;
    commNanos += comm;
    wallNanos += wall;
  }

  /** Mean communication time per step, ms. */
  double commMsPerStep() {
    return steps == 0 ? Double.NaN : commNanos / 1e6 / steps;
  }

  /** Fraction of the step wall time spent communicating. */
  double share() {
    return wallNanos == 0 ? Double.NaN : commNanos / (double) wallNanos;
  }

  /** Logs the share (data-parallel only, when steps were taken) and starts over. */
  void log(DataParallel dp, String stage) {
    if (dp.active() && steps > 0) {
      LOG.info(String.format(java.util.Locale.ROOT,
          "%sstage %s: %d steps, communication %.2f ms/step of %.2f ms/step (%.1f%%)",
          dp.tag(), stage, steps, commMsPerStep(), wallNanos / 1e6 / steps, 100 * share()));
    }
    steps = 0;
    commNanos = 0;
    wallNanos = 0;
  }
}
