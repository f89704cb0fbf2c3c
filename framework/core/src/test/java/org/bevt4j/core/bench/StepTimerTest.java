package org.bevt4j.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StepTimerTest {
  @Test
  void medianMeanAndPhasesWithAFakeClock() {
    AtomicLong now = new AtomicLong();
    AtomicInteger step = new AtomicInteger();
    AtomicInteger syncs = new AtomicInteger();
    long ms = 1_000_000;
    // step i (0-based, 2 warm-ups first): forward 3 ms (+100 ms in warm-up), backward 5 + i ms,
    // optimizer 1 ms
    StepTimer timer = new StepTimer(2, 3).withClock(now::get).withSync(syncs::incrementAndGet);
    StepTimer.Result r = timer.run(
        () -> now.addAndGet((step.get() < 2 ? 103 : 3) * ms),
        () -> now.addAndGet((5 + Math.max(0, step.get() - 2)) * ms),
        () -> {
          now.addAndGet(ms);
          step.incrementAndGet();
        });
    assertThat(r.iterations()).isEqualTo(3);
    assertThat(r.phases().keySet()).containsExactly("forward", "backward", "optimizer");
    assertThat(r.phaseMs("forward")).isEqualTo(3.0);
    assertThat(r.phases().get("backward").meanMs()).isEqualTo(6.0);
    assertThat(r.phases().get("backward").minMs()).isEqualTo(5.0);
    assertThat(r.phases().get("backward").maxMs()).isEqualTo(7.0);
    assertThat(r.stepMs()).isEqualTo(10.0);
    assertThat(r.step().count()).isEqualTo(3);
    assertThat(r.phaseMs("data")).isNaN();
    assertThat(syncs.get()).isEqualTo(5 * 3 + 3); // 3 marks per step + 1 per measured step
  }

  @Test
  void evenMedianFailuresAndValidation() {
    assertThat(StepTimer.Stats.of(new double[] {4, 1, 3, 2}).medianMs()).isEqualTo(2.5);
    assertThatThrownBy(() -> new StepTimer(-1, 1)).hasMessageContaining("warm-up");
    assertThatThrownBy(() -> new StepTimer(0, 0)).hasMessageContaining("measured iterations = 0");
    assertThatThrownBy(() -> new StepTimer(1, 1).run(laps -> {
      throw new java.io.IOException("disk");
    })).hasMessageContaining("warm-up iteration 0 failed").hasMessageContaining("disk");
  }
}
