package org.bevt4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoggingProgressListenerTest {
  @Test
  void lineShowsCountRateEtaAndMessage() {
    String line = LoggingProgressListener.line("stage joint", 1000, 1200, 75000, "step", 100_000_000_000L, "loss 6.91");
    // 200 steps in 100 s = 2 steps/s; 73800 left = 36900 s
    assertThat(line).isEqualTo("stage joint 1200/75000 (1.6%) | 2.00 step/s | ETA 10:15:00 | loss 6.91");
  }

  @Test
  void unknownTotalHasNoEta() {
    assertThat(LoggingProgressListener.line("eval", 0, 30, 0, "clip", 3_000_000_000L, ""))
        .isEqualTo("eval 30 | 10.00 clip/s");
  }

  @Test
  void durationsFormatAsHoursMinutesSeconds() {
    assertThat(LoggingProgressListener.formatDuration(0)).isEqualTo("0:00:00");
    assertThat(LoggingProgressListener.formatDuration(3725)).isEqualTo("1:02:05");
    assertThat(LoggingProgressListener.formatDuration(-5)).isEqualTo("0:00:00");
  }
}
