package org.bevt4j.core.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.bevt4j.api.Sample;
import org.bevt4j.core.data.StreamSettings;
import org.bevt4j.core.data.TestData;
import org.bevt4j.core.data.transform.RgbFrame;
import org.junit.jupiter.api.Test;

class SyntheticDatasetTest {
  static SyntheticDataset video(String extra) {
    return SyntheticDataset.create(StreamSettings.parse(TestData.stream("video",
        "scale-range = [], crop-size = 64, flip = 0, clip-len = 4, frame-interval = 2, tokenizer-size = 32, "
            + "synthetic { width = 96, height = 64, frames = 40, size = 44 }, " + extra), null));
  }

  /** Centroid (x, y) of the pixels that differ from the background. */
  static double[] centroid(RgbFrame f, RgbFrame bg) {
    double sx = 0;
    double sy = 0;
    int n = 0;
    for (int y = 0; y < f.height(); y++) {
      for (int x = 0; x < f.width(); x++) {
        int o = 3 * (y * f.width() + x);
        if (f.data()[o] != bg.data()[o] || f.data()[o + 1] != bg.data()[o + 1] || f.data()[o + 2] != bg.data()[o + 2]) {
          sx += x;
          sy += y;
          n++;
        }
      }
    }
    return new double[] {sx / n, sy / n, n};
  }

  @Test
  void sameSeedSameContentOtherSeedOtherContent() throws Exception {
    SyntheticDataset a = video("");
    SyntheticDataset b = video("");
    SyntheticDataset c = video("synthetic.seed = 5");
    for (int i = 0; i < 5; i++) {
      Sample sa = a.load(i, new SplittableRandom(1));
      Sample sb = b.load(i, new SplittableRandom(1));
      assertThat(sa.input()).isEqualTo(sb.input());
      assertThat(sa.tokenizerInput()).isEqualTo(sb.tokenizerInput());
      assertThat(c.load(i, new SplittableRandom(1)).input()).isNotEqualTo(sa.input());
    }
    assertThat(a.load(1, new SplittableRandom(1)).input()).isNotEqualTo(a.load(12, new SplittableRandom(1)).input());
  }

  @Test
  void labelsFollowTheMotion() {
    SceneGenerator gen = new SceneGenerator(3);
    int w = 160;
    int h = 120;
    for (int i = 0; i < 44; i++) {
      Motion m = Motion.values()[i % Motion.values().length];
      Scene s = gen.videoScene(i, m);
      // centre the object so no wrap-around happens within 6 frames
      s = new Scene(s.bgA(), s.bgB(), s.bgChecker(), s.bgFreq(), s.bgAngle(), s.shape(), s.fgA(), s.fgB(), s.radius(),
          0.5f, 0.5f, s.vx(), s.vy(), s.angle0(), s.omega());
      RgbFrame bg = SceneGenerator.background(s, w, h);
      RgbFrame f0 = SceneGenerator.render(s, bg, 0);
      RgbFrame f6 = SceneGenerator.render(s, bg, 6);
      double[] c0 = centroid(f0, bg);
      double[] c6 = centroid(f6, bg);
      double dx = c6[0] - c0[0];
      double dy = c6[1] - c0[1];
      double expected = (m.fast() ? 0.02 : 0.006) * h * 6;
      switch (m) {
        case STATIC -> assertThat(f6.data()).isEqualTo(f0.data());
        case ROTATE_CW, ROTATE_CCW -> {
          assertThat(Math.hypot(dx, dy)).isLessThan(1.5);
          assertThat(f6.data()).isNotEqualTo(f0.data());
          assertThat(Math.signum(s.omega())).isEqualTo(m == Motion.ROTATE_CW ? 1f : -1f);
        }
        default -> {
          assertThat(dx * m.dx() + dy * m.dy()).as("%s moves along its direction", m).isBetween(0.6 * expected, 1.4 * expected);
          assertThat(Math.abs(m.dx() != 0 ? dy : dx)).isLessThan(1.0);
        }
      }
    }
    // the slow/fast classes are separated (+-25 % jitter around 0.006 and 0.02)
    assertThat(0.006 * 1.25).isLessThan(0.02 * 0.75);
  }

  @Test
  void flipSwapsLeftRightAndRotationSense() throws Exception {
    SyntheticDataset d = video("flip = 1.0");
    assertThat(d.load(1, new SplittableRandom(0)).label()).isEqualTo(Motion.LEFT_SLOW.ordinal());
    assertThat(d.load(2, new SplittableRandom(0)).label()).isEqualTo(Motion.RIGHT_SLOW.ordinal());
    assertThat(d.load(3, new SplittableRandom(0)).label()).isEqualTo(Motion.DOWN_SLOW.ordinal());
    assertThat(d.load(9, new SplittableRandom(0)).label()).isEqualTo(Motion.ROTATE_CCW.ordinal());
    assertThat(d.load(0, new SplittableRandom(0)).label()).isEqualTo(Motion.STATIC.ordinal());
  }

  @Test
  void imagesAreStaticShapesAtAnyResolution() throws Exception {
    SyntheticDataset img = SyntheticDataset.create(StreamSettings.parse(TestData.stream("image",
        "scale-range = [], crop-size = 24, synthetic { width = 24, height = 30, size = 8 }"), null));
    assertThat(img.classes()).containsExactly("disc", "square", "triangle", "cross");
    Sample s = img.load(6, new SplittableRandom(0));
    assertThat(s.input().shape()).containsExactly(3, 24, 24);
    assertThat(s.label()).isEqualTo(2);
    RgbFrame big = img.render(6, new int[] {0})[0];
    assertThat(big.width()).isEqualTo(24);
    assertThat(video("").classes()).hasSize(11).startsWith("static");
  }
}
