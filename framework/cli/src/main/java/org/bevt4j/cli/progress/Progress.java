package org.bevt4j.cli.progress;

import java.time.Duration;
import org.bevt4j.core.ProgressListener;
import org.slf4j.LoggerFactory;

/** Chooses the progress display for the current process. */
public final class Progress {
  /** How often a non-interactive run logs a progress line. */
  public static final Duration LOG_EVERY = Duration.ofSeconds(30);

  private Progress() {}

  /**
   * A progress bar on stderr when attached to a terminal; otherwise (redirected output, CI) a log
   * line with rate and ETA every {@link #LOG_EVERY}, which also lands in the run's log.txt.
   */
  public static ProgressListener forEnvironment() {
    return System.console() != null
        ? new TerminalProgressListener(System.err)
        : ProgressListener.logging(LoggerFactory.getLogger("org.bevt4j.progress"), LOG_EVERY);
  }
}
