package org.bevt4j.core;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Progress as periodic log lines, for non-interactive output (CI logs, redirected output, log.txt):
 * {@code stage joint 1200/75000 (1.6%) | 3.52 step/s | ETA 5:54:12 | loss 6.91}.
 */
public final class LoggingProgressListener implements ProgressListener {
  private final Logger log;
  private final long everyNanos;
  private final LongSupplier clock;

  public LoggingProgressListener(Logger log, Duration every) {
    this(log, every, System::nanoTime);
  }

  /** With an explicit nanosecond clock (tests). */
  LoggingProgressListener(Logger log, Duration every, LongSupplier clock) {
    this.log = log;
    this.everyNanos = every.toNanos();
    this.clock = clock;
  }

  @Override
  public Task start(String name, long initial, long total, String unit) {
    return new LoggedTask(name, initial, total, unit);
  }

  private final class LoggedTask implements Task {
    private final String name;
    private final long initial;
    private final long total;
    private final String unit;
    private final long startNanos;
    private long lastLogNanos;
    private long done;
    private long lastLoggedDone = -1;
    private String message = "";

    LoggedTask(String name, long initial, long total, String unit) {
      this.name = name;
      this.initial = initial;
      this.total = total;
      this.unit = unit;
      this.done = initial;
      this.startNanos = clock.getAsLong();
      this.lastLogNanos = startNanos;
    }

    @Override
    public synchronized void update(long value) {
      done = value;
      long now = clock.getAsLong();
      if (now - lastLogNanos >= everyNanos) {
        lastLogNanos = now;
        emit(now);
      }
    }

    @Override
    public synchronized void message(String m) {
      message = m == null ? "" : m;
    }

    @Override
    public synchronized void close() {
      if (done != lastLoggedDone) {
        emit(clock.getAsLong());
      }
    }

    private void emit(long now) {
      lastLoggedDone = done;
      log.info(line(name, initial, done, total, unit, now - startNanos, message));
    }
  }

  /** Formats one progress line (package-private for tests). */
  static String line(String name, long initial, long done, long total, String unit, long elapsedNanos, String message) {
    StringBuilder sb = new StringBuilder(name).append(' ').append(done);
    if (total > 0) {
      sb.append('/').append(total).append(String.format(Locale.ROOT, " (%.1f%%)", 100.0 * done / total));
    }
    double seconds = elapsedNanos / 1e9;
    double rate = seconds > 0 ? (done - initial) / seconds : 0;
    sb.append(String.format(Locale.ROOT, " | %.2f %s/s", rate, unit));
    if (total > 0 && rate > 0 && done < total) {
      sb.append(" | ETA ").append(formatDuration(Math.round((total - done) / rate)));
    }
    if (message != null && !message.isEmpty()) {
      sb.append(" | ").append(message);
    }
    return sb.toString();
  }

  /** {@code H:MM:SS}. */
  public static String formatDuration(long seconds) {
    long s = Math.max(0, seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
