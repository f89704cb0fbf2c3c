package org.bevt4j.core.data.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClipSamplerTest {
  @Test
  void randomOffsetStrideAndRange() {
    ClipSampler s = new ClipSampler(new ClipSettings(16, 4, ClipSettings.Sampling.RANDOM));
    int minOff = Integer.MAX_VALUE;
    int maxOff = 0;
    for (int seed = 0; seed < 300; seed++) {
      int[] idx = s.train(250, new SplittableRandom(seed));
      assertThat(idx).hasSize(16);
      for (int i = 1; i < 16; i++) {
        assertThat(idx[i] - idx[i - 1]).isEqualTo(4);
      }
      minOff = Math.min(minOff, idx[0]);
      maxOff = Math.max(maxOff, idx[0]);
    }
    // mmaction: offset = randint(num_frames - clip_len * interval + 1) = [0, 186]
    assertThat(minOff).isLessThan(10);
    assertThat(maxOff).isBetween(170, 186);
  }

  @Test
  void loopsWhenTheVideoIsShort() {
    ClipSampler s = new ClipSampler(new ClipSettings(4, 4, ClipSettings.Sampling.RANDOM));
    assertThat(s.train(10, new SplittableRandom(1))).containsExactly(0, 4, 8, 2);
    assertThat(s.train(1, new SplittableRandom(1))).containsExactly(0, 0, 0, 0);
  }

  @Test
  void testClipsAreSpreadLikeMmaction() {
    ClipSampler s = new ClipSampler(new ClipSettings(8, 2, ClipSettings.Sampling.RANDOM));
    int[][] clips = s.test(100, 4);
    // avg = (100 - 16 + 1) / 4 = 21.25; offsets int(k * avg + avg / 2)
    assertThat(new int[] {clips[0][0], clips[1][0], clips[2][0], clips[3][0]}).containsExactly(10, 31, 53, 74);
    assertThat(clips[1]).containsExactly(31, 33, 35, 37, 39, 41, 43, 45);
  }

  @Test
  void uniformSegmentsTakeOneFramePerSegment() {
    ClipSampler s = new ClipSampler(new ClipSettings(4, 1, ClipSettings.Sampling.UNIFORM_SEGMENTS));
    // seg = (41 - 1) / 4 = 10: segments [0,10], [10,20], [20,30], [30,40]
    assertThat(s.test(41, 1)[0]).containsExactly(5, 15, 25, 35);
    for (int seed = 0; seed < 50; seed++) {
      int[] idx = s.train(41, new SplittableRandom(seed));
      for (int i = 0; i < 4; i++) {
        assertThat(idx[i]).isBetween(10 * i, 10 * (i + 1));
      }
    }
  }
}
