package org.bevt4j.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LossScalerTest {
  @Test
  void backsOffOnOverflowAndGrowsAfterGoodSteps() {
    LossScaler s = LossScaler.standard(65536, 3);
    assertThat(s.update(false)).isFalse();
    assertThat(s.scale()).isEqualTo(32768);
    assertThat(s.skipped()).isEqualTo(1);
    assertThat(s.update(true)).isTrue();
    assertThat(s.update(true)).isTrue();
    assertThat(s.scale()).isEqualTo(32768);
    assertThat(s.update(false)).isFalse(); // an overflow resets the good-step count
    assertThat(s.scale()).isEqualTo(16384);
    assertThat(s.update(true)).isTrue();
    assertThat(s.update(true)).isTrue();
    assertThat(s.update(true)).isTrue();
    assertThat(s.scale()).isEqualTo(32768);
    assertThat(s.goodSteps()).isZero();
    assertThat(s.skipped()).isEqualTo(2);
  }

  @Test
  void boundsAndStateRoundTrip() {
    LossScaler s = new LossScaler(4, 2, 0.5, 1, 1);
    s.update(false);
    s.update(false);
    s.update(false);
    assertThat(s.scale()).isEqualTo(1.0); // floor
    LossScaler big = LossScaler.standard(Math.pow(2, 127), 1);
    big.update(true);
    assertThat(big.scale()).isEqualTo(Math.pow(2, 127)); // never beyond float range
    LossScaler copy = LossScaler.standard(1, 5);
    s.update(true);
    copy.restore(s.toJson());
    assertThat(copy.toJson()).isEqualTo(s.toJson());
    assertThatThrownBy(() -> new LossScaler(0, 2, 0.5, 1, 1)).hasMessageContaining("initial loss scale");
  }
}
