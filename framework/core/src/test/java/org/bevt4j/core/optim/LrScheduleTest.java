package org.bevt4j.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
  @Test
  void warmupThenCosineAsMmcv() {
    LrSchedule s = new LrSchedule(LrSchedule.Type.COSINE, 5e-4, 1e-5, 100, 10, 0.1);
    double cos0 = 1e-5 + (5e-4 - 1e-5) * (1 + Math.cos(0)) / 2;
    assertThat(s.lr(0)).isCloseTo(0.1 * cos0, within(1e-15));
    // mmcv linear warm-up: regular * (1 - (1 - t/W)(1 - ratio))
    double cos5 = 1e-5 + (5e-4 - 1e-5) * (1 + Math.cos(Math.PI * 5 / 100)) / 2;
    assertThat(s.lr(5)).isCloseTo(cos5 * (1 - 0.5 * 0.9), within(1e-15));
    double cos10 = 1e-5 + (5e-4 - 1e-5) * (1 + Math.cos(Math.PI * 10 / 100)) / 2;
    assertThat(s.lr(10)).isCloseTo(cos10, within(1e-15));
    assertThat(s.lr(50)).isCloseTo((5e-4 + 1e-5) / 2, within(1e-15));
    assertThat(s.lr(100)).isCloseTo(1e-5, within(1e-15));
    assertThat(s.lr(1000)).isCloseTo(1e-5, within(1e-15));
    for (int t = 1; t < 10; t++) {
      assertThat(s.lr(t)).isGreaterThan(s.lr(t - 1));
    }
    for (int t = 11; t <= 100; t++) {
      assertThat(s.lr(t)).isLessThanOrEqualTo(s.lr(t - 1));
    }
  }

  @Test
  void linearAndConstant() {
    LrSchedule lin = new LrSchedule(LrSchedule.Type.LINEAR, 1.0, 0.0, 10, 0, 0.1);
    assertThat(lin.lr(0)).isEqualTo(1.0);
    assertThat(lin.lr(5)).isCloseTo(0.5, within(1e-12));
    assertThat(lin.lr(10)).isEqualTo(0.0);
    assertThat(lin.toString()).isEqualTo("linear lr 1 -> 0 over 10 steps, warm-up 0 steps from 0.1x");
    assertThat(new LrSchedule(LrSchedule.Type.COSINE, 5e-4, 100, 10, 2, 0.25).toString())
        .isEqualTo("cosine lr 5.00e-4 -> 100 over 10 steps, warm-up 2 steps from 0.25x");
    LrSchedule c = new LrSchedule(LrSchedule.Type.CONSTANT, 0.3, 0.0, 10, 4, 0.5);
    assertThat(c.lr(0)).isCloseTo(0.15, within(1e-12));
    assertThat(c.lr(2)).isCloseTo(0.3 * (1 - 0.5 * 0.5), within(1e-12));
    assertThat(c.lr(4)).isEqualTo(0.3);
    assertThat(c.lr(9)).isEqualTo(0.3);
  }
}
