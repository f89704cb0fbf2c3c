package org.bevt4j.core.data.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ColorJitterTest {
  /** Upstream semantics, step by step on float RGB pixels (BEVT ColorJitter without the hue op). */
  static float[][] reference(float[][] px, ColorJitter.Params p) {
    float[][] img = new float[px.length][];
    for (int i = 0; i < px.length; i++) {
      img[i] = px[i].clone();
    }
    for (int op : p.order()) {
      if (op == 0) {
        for (float[] q : img) {
          for (int c = 0; c < 3; c++) {
            q[c] *= (float) p.brightness();
          }
        }
      } else if (op == 1) {
        double mean = 0;
        for (float[] q : img) {
          mean += 0.2989 * q[0] + 0.587 * q[1] + 0.114 * q[2];
        }
        mean /= img.length;
        for (float[] q : img) {
          for (int c = 0; c < 3; c++) {
            q[c] = (float) (p.contrast() * q[c] + (1 - p.contrast()) * mean);
          }
        }
      } else if (op == 2) {
        for (float[] q : img) {
          double g = 0.2989 * q[0] + 0.587 * q[1] + 0.114 * q[2];
          for (int c = 0; c < 3; c++) {
            q[c] = (float) (p.saturation() * q[c] + (1 - p.saturation()) * g);
          }
        }
      }
    }
    for (float[] q : img) {
      for (int c = 0; c < 3; c++) {
        q[c] = Math.max(0, Math.min(255, q[c]));
      }
    }
    return img;
  }

  @Test
  void foldedAffineJitterMatchesTheSequentialDefinition() {
    SplittableRandom r = new SplittableRandom(3);
    int n = 64;
    float[][] px = new float[n][3];
    float[] planes = new float[3 * n];
    double[] mean = new double[3];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        px[i][c] = r.nextInt(256);
        planes[c * n + i] = px[i][c];
        mean[c] += px[i][c] / n;
      }
    }
    ColorJitter j = new ColorJitter(new JitterSettings(0.4, 0.4, 0.4, 0));
    for (int seed = 0; seed < 30; seed++) {
      ColorJitter.Params p = j.sample(new SplittableRandom(seed));
      assertThat(p.brightness()).isBetween(0.6, 1.4);
      float[] got = planes.clone();
      j.apply(got, 0, n, n, p, mean);
      float[][] want = reference(px, p);
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < 3; c++) {
          assertThat(got[c * n + i]).isCloseTo(want[i][c], within(0.01f));
        }
      }
    }
  }

  @Test
  void hueRotationKeepsGreyAndCyclesColours() {
    float[] px = {255, 128, 0, 0, 128, 0, 0, 128, 0};
    // three pixels: red, grey, black in planar layout (R plane, G plane, B plane)
    float[] planes = {255, 128, 0, 0, 128, 0, 0, 128, 0};
    ColorJitter.hueShift(planes, 0, 3, 3, 120 / 255.0); // int(120/255*255)=119 steps -> 238 degrees
    assertThat(planes[1]).isEqualTo(128f);
    assertThat(planes[4]).isEqualTo(128f);
    assertThat(planes[7]).isEqualTo(128f);
    float[] red = {255, 0, 0};
    float[] p2 = {red[0], red[1], red[2]};
    ColorJitter.hueShift(p2, 0, 1, 1, 60 / 255.0); // 60 steps = 120 degrees: red -> green
    assertThat(p2).containsExactly(new float[] {0, 255, 0}, within(1e-3f));
    assertThat(px).hasSize(9);
  }
}
