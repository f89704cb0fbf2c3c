package org.bevt4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogLineTest {
  private static StepMetrics metrics(int stages, double videoLoss, double imageLoss, double scale) {
    double nan = Double.NaN;
    boolean v = Double.isFinite(videoLoss);
    boolean i = Double.isFinite(imageLoss);
    return new StepMetrics(
        "joint", 1, stages, 1300, 1200, 75000, 2.4, (v ? videoLoss : 0) + (i ? imageLoss : 0), videoLoss, imageLoss, v ? 0.1023 : nan,
        i ? 0.035 : nan, 4.9e-4, 1.234, v ? 212.4 : nan, i ? 1480.2 : nan, 0.12, 0.47, 34863, scale, 0);
  }

  @Test
  void followsTheConventionsFormat() {
    assertThat(LogLine.format(metrics(1, 7.02, 6.80, 1)))
        .isEqualTo("step 1200/75000 (ep 3) | loss 13.8 (video 7.02 / image 6.80) | acc video 10.2% / image 3.5% | lr 4.9e-4 | grad 1.23"
            + " | 212 clips/s 1480 img/s | data 12% | ETA 9:41:03");
    assertThat(LogLine.format(metrics(2, Double.NaN, 6.80, 65536)))
        .isEqualTo("[joint] step 1200/75000 (ep 3) | loss 6.80 (image) | acc image 3.5% | lr 4.9e-4 | grad 1.23 | scale 65536"
            + " | 1480 img/s | data 12% | ETA 9:41:03");
    assertThat(LogLine.duration(3 * 86400 + 61)).isEqualTo("3d 0:01:01");
  }
}
