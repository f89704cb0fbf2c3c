package org.bevt4j.core.data.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.bevt4j.api.Sample;
import org.junit.jupiter.api.Test;

class SamplePipelineTest {
  static final int W = 100;
  static final int H = 80;
  static final int CROP = 48;
  static final int TOK = 24;

  /** R = 2x, G = 3y, B = 50: the output reveals which source pixel it came from. */
  static RgbFrame coordinates() {
    byte[] d = new byte[3 * W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        d[3 * (y * W + x)] = (byte) (2 * x);
        d[3 * (y * W + x) + 1] = (byte) (3 * y);
        d[3 * (y * W + x) + 2] = 50;
      }
    }
    return new RgbFrame(d, W, H);
  }

  static AugmentSettings settings(int scaleMin, int scaleMax) {
    return AugmentSettings.bevt(true).withGeometry(CROP, scaleMin, scaleMax, TOK)
        .withFlipAndJitter(0.5, JitterSettings.none());
  }

  static float raw(Sample s, AugmentSettings a, int c, int x, int y) {
    float v = s.input().data()[c * CROP * CROP + y * CROP + x];
    return v * a.std()[c] + a.mean()[c];
  }

  @Test
  void cropBoxFlipAndTokenizerCopyShareTheSameGeometry() {
    AugmentSettings a = settings(0, 0);
    SamplePipeline p = new SamplePipeline(a, null, null);
    RgbFrame f = coordinates();
    int flips = 0;
    int maxX = 0;
    int maxY = 0;
    for (int seed = 0; seed < 200; seed++) {
      Sample s = p.image(f, 3, "coords", new SplittableRandom(seed));
      assertThat(s.input().shape()).containsExactly(3, CROP, CROP);
      assertThat(s.tokenizerInput().shape()).containsExactly(1, 3, TOK, TOK);
      boolean flip = raw(s, a, 0, 1, 0) < raw(s, a, 0, 0, 0);
      int x0 = Math.round((flip ? raw(s, a, 0, CROP - 1, 0) : raw(s, a, 0, 0, 0)) / 2);
      int y0 = Math.round(raw(s, a, 1, 0, 0) / 3);
      assertThat(x0).isBetween(0, W - CROP - 1); // mmaction randint(0, W - crop), exclusive
      assertThat(y0).isBetween(0, H - CROP - 1);
      flips += flip ? 1 : 0;
      maxX = Math.max(maxX, x0);
      maxY = Math.max(maxY, y0);
      for (int y = 0; y < CROP; y++) {
        for (int x = 0; x < CROP; x++) {
          int sx = x0 + (flip ? CROP - 1 - x : x);
          assertThat(raw(s, a, 0, x, y)).isCloseTo(2f * sx, within(1e-3f));
          assertThat(raw(s, a, 1, x, y)).isCloseTo(3f * (y0 + y), within(1e-3f));
          assertThat(raw(s, a, 2, x, y)).isCloseTo(50f, within(1e-3f));
        }
      }
      // tokenizer copy: the same (flipped) crop, 2x down with Lanczos, in [0, 1]; exact on a ramp inside
      float[] tok = s.tokenizerInput().data();
      for (int i = 3; i < TOK - 3; i++) {
        double centre = 2 * i + 0.5;
        double srcX = x0 + (flip ? CROP - 1 - centre : centre);
        assertThat((double) tok[5 * TOK + i]).isCloseTo(2 * srcX / 255.0, within(1e-4));
        assertThat((double) tok[TOK * TOK + i * TOK + 7]).isCloseTo(3 * (y0 + centre) / 255.0, within(1e-4));
        assertThat((double) tok[2 * TOK * TOK + i]).isCloseTo(50 / 255.0, within(1e-4));
      }
      int expectedLabel = 3;
      assertThat(s.label()).isEqualTo(expectedLabel);
    }
    assertThat(flips).isBetween(70, 130);
    assertThat(maxX).isGreaterThan(40);
    assertThat(maxY).isGreaterThan(20);
  }

  @Test
  void randomRescaleFollowsThePlanAndKeepsAspect() {
    AugmentSettings a = settings(56, 72).withFlipAndJitter(0, JitterSettings.none());
    SamplePipeline p = new SamplePipeline(a, null, null);
    RgbFrame f = coordinates();
    for (int seed = 0; seed < 20; seed++) {
      SpatialPlan plan = SpatialPlan.train(W, H, a, new SplittableRandom(seed));
      assertThat(Math.min(plan.scaledWidth(), plan.scaledHeight())).isBetween(56, 72);
      assertThat(plan.scaledWidth()).isEqualTo((int) (W * (plan.scaledHeight() / (double) H) + 0.5));
      assertThat(plan.cropX() + CROP).isLessThanOrEqualTo(plan.scaledWidth());
      Sample s = p.image(f, 0, "coords", new SplittableRandom(seed));
      double sx = W / (double) plan.scaledWidth();
      for (int x = 4; x < CROP - 4; x++) {
        double src = (plan.cropX() + x + 0.5) * sx - 0.5;
        // OpenCV's cubic (A = -0.75) reproduces a ramp only approximately; an off-by-one pixel would be 2.0
        assertThat((double) raw(s, a, 0, x, 10)).isCloseTo(2 * src, within(0.1));
      }
    }
  }

  @Test
  void flipMapsLabelsThroughTheDatasetMapping() {
    AugmentSettings a = settings(0, 0).withFlipAndJitter(1.0, JitterSettings.none());
    SamplePipeline p = new SamplePipeline(a, null, l -> l == 1 ? 2 : l);
    Sample s = p.image(coordinates(), 1, "x", new SplittableRandom(1));
    assertThat(s.label()).isEqualTo(2);
  }

  @Test
  void evalThreeCropsGiveThreeViewsAlongTheLongSide() {
    AugmentSettings a = settings(0, 0).forEval(new EvalSettings(CROP, "three", 1, "bilinear"));
    SamplePipeline p = new SamplePipeline(a, null, null);
    Sample s = p.image(coordinates(), 0, "x", new SplittableRandom(0));
    assertThat(s.input().shape()).containsExactly(3, 3, CROP, CROP);
    assertThat(s.tokenizerInput()).isNull();
    int scaledW = (int) (W * (CROP / (double) H) + 0.5); // 60
    int step = (scaledW - CROP) / 2;
    int[] offsets = {0, 2 * step, step};
    for (int v = 0; v < 3; v++) {
      float r = s.input().data()[v * 3 * CROP * CROP + 10] * a.std()[0] + a.mean()[0];
      double src = (offsets[v] + 10 + 0.5) * W / (double) scaledW - 0.5;
      assertThat((double) r).isCloseTo(2 * src, within(0.02));
    }
  }

  @Test
  void clipLayoutIsChannelsThenTimeAndTokenizerIsTimeThenChannels() throws Exception {
    AugmentSettings a = settings(0, 0).withFlipAndJitter(0, JitterSettings.none());
    SamplePipeline p = new SamplePipeline(a, new ClipSettings(4, 2, ClipSettings.Sampling.RANDOM), null);
    RgbFrame base = coordinates();
    Sample s = p.clip(20, idx -> {
      RgbFrame[] out = new RgbFrame[idx.length];
      for (int i = 0; i < idx.length; i++) {
        byte[] d = base.data().clone();
        for (int k = 2; k < d.length; k += 3) {
          d[k] = (byte) (10 * idx[i]); // frame index in blue
        }
        out[i] = new RgbFrame(d, W, H);
      }
      return out;
    }, 0, "clip", new SplittableRandom(5));
    assertThat(s.input().shape()).containsExactly(3, 4, CROP, CROP);
    assertThat(s.tokenizerInput().shape()).containsExactly(4, 3, TOK, TOK);
    int[] expected = new ClipSampler(new ClipSettings(4, 2, ClipSettings.Sampling.RANDOM)).train(20, new SplittableRandom(5));
    int hw = CROP * CROP;
    for (int t = 0; t < 4; t++) {
      float b = s.input().data()[(2 * 4 + t) * hw] * a.std()[2] + a.mean()[2];
      assertThat(b).isCloseTo(10f * expected[t], within(1e-3f));
      float tb = s.tokenizerInput().data()[(t * 3 + 2) * TOK * TOK + 30];
      assertThat(tb).isCloseTo(10f * expected[t] / 255f, within(1e-4f));
    }
  }
}
