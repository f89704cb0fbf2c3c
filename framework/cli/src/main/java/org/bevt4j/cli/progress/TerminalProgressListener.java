package org.bevt4j.cli.progress;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bevt4j.core.ProgressListener;

/** A progress bar with throughput and ETA, redrawn in place on a terminal. */
public final class TerminalProgressListener implements ProgressListener {
  private final PrintStream out;

  public TerminalProgressListener(PrintStream out) {
    this.out = out;
  }

  @Override
  public Task start(String name, long initial, long total, String unit) {
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(name)
            .setInitialMax(total > 0 ? total : -1)
            .setUnit(" " + unit, 1)
            .showSpeed()
            .startsFrom(Math.max(0, initial), Duration.ZERO)
            .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
            .setUpdateIntervalMillis(500)
            .setConsumer(new ConsoleProgressBarConsumer(out))
            .build();
    return new Task() {
      @Override
      public void update(long done) {
        bar.stepTo(done);
      }

      @Override
      public void message(String message) {
        bar.setExtraMessage(message == null ? "" : message);
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}
