package org.bevt4j.core.data.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ResamplingTest {
  static final float[][] IMG = {
    {10, 200, 30, 40, 250, 0},
    {90, 15, 60, 220, 5, 130},
    {255, 0, 128, 64, 32, 16},
    {1, 2, 3, 4, 5, 6},
    {100, 150, 200, 250, 50, 0},
    {70, 80, 90, 60, 30, 20}};

  static float[] flat() {
    float[] f = new float[36];
    for (int y = 0; y < 6; y++) {
      System.arraycopy(IMG[y], 0, f, 6 * y, 6);
    }
    return f;
  }

  static float[] resize(int a, boolean antialias) {
    Taps t = Taps.compute(6, 3, 0, 3, Kernel.lanczos(a), antialias);
    float[] out = new float[9];
    Resampler.plane(flat(), 0, 6, 6, t, t, out, 0, 1f, -1e9f, 1e9f);
    return out;
  }

  @Test
  void lanczos4TapsMatchHandComputedWeights() {
    // 8 -> 4: output 0 sits at source 0.5; taps -3..4 at distances 3.5 .. -3.5, normalised
    Taps t = Taps.compute(8, 4, 0, 4, Kernel.lanczos(4), false);
    double[] expected = {-0.01263, 0.059764, -0.166011, 0.618877, 0.618877, -0.166011, 0.059764, -0.01263};
    assertThat(t.taps()).isEqualTo(8);
    for (int j = 0; j < 8; j++) {
      assertThat((double) t.weight(0, j)).isCloseTo(expected[j], within(1e-5));
      assertThat(t.index(0, j)).isEqualTo(Math.max(0, j - 3)); // replicated border
    }
  }

  @Test
  void lanczos4MatchesOpenCvStyleHandComputation() {
    double[] expected = {77.3548, 72.2358, 91.5321, 47.8727, 11.1375, 21.1281, 118.6853, 198.8179, 11.2923};
    float[] out = resize(4, false);
    for (int i = 0; i < 9; i++) {
      assertThat((double) out[i]).as("pixel %d", i).isCloseTo(expected[i], within(2e-3));
    }
  }

  @Test
  void lanczos3WithAndWithoutAntialias() {
    double[] fixed = {78.3802, 81.0765, 95.4558, 50.5924, 19.1523, 15.4499, 112.8836, 195.0374, 11.8884};
    double[] pil = {80.4552, 97.236, 100.462, 70.1811, 63.9315, 22.6702, 88.4528, 129.5816, 28.5713};
    float[] a = resize(3, false);
    float[] b = resize(3, true);
    for (int i = 0; i < 9; i++) {
      assertThat((double) a[i]).isCloseTo(fixed[i], within(2e-3));
      assertThat((double) b[i]).isCloseTo(pil[i], within(2e-3));
    }
  }

  @Test
  void bicubicAtScaleOneIsIdentityAndConstantsArePreserved() {
    Taps t = Taps.compute(6, 6, 0, 6, Kernel.bicubic(), false);
    float[] out = new float[36];
    Resampler.plane(flat(), 0, 6, 6, t, t, out, 0, 1f, -1e9f, 1e9f);
    assertThat(out).containsExactly(flat(), within(1e-4f));
    // upscaling a constant image stays constant (weights sum to 1)
    Taps up = Taps.compute(5, 13, 0, 13, Kernel.bicubic(), false);
    float[] c = new float[25];
    java.util.Arrays.fill(c, 42f);
    float[] o = new float[169];
    Resampler.plane(c, 0, 5, 5, up, up, o, 0, 1f, 0f, 255f);
    for (float v : o) {
      assertThat(v).isCloseTo(42f, within(1e-3f));
    }
  }

  @Test
  void reversedTapsMirrorTheOutput() {
    Taps t = Taps.compute(6, 6, 0, 6, Kernel.bilinear(), false);
    Taps id = Taps.compute(6, 6, 0, 6, Kernel.bilinear(), false);
    float[] out = new float[36];
    Resampler.plane(flat(), 0, 6, 6, t.reversed(), id, out, 0, 1f, -1e9f, 1e9f);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 6; x++) {
        assertThat(out[6 * y + x]).isEqualTo(IMG[y][5 - x]);
      }
    }
  }

  @Test
  void rgbResamplingOfACropWindowReadsTheRightPixels() {
    int w = 20;
    int h = 10;
    byte[] d = new byte[3 * w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        d[3 * (y * w + x)] = (byte) (10 * x);
        d[3 * (y * w + x) + 1] = (byte) (20 * y);
        d[3 * (y * w + x) + 2] = (byte) 7;
      }
    }
    RgbFrame f = new RgbFrame(d, w, h);
    Taps xs = Taps.compute(w, w, 5, 4, Kernel.bicubic(), false);
    Taps ys = Taps.compute(h, h, 3, 4, Kernel.bicubic(), false);
    float[] out = new float[3 * 16];
    Resampler.rgbToPlanes(f, xs, ys, out, 0, 16);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        assertThat(out[4 * y + x]).isCloseTo(10f * (5 + x), within(1e-3f));
        assertThat(out[16 + 4 * y + x]).isCloseTo(20f * (3 + y), within(1e-3f));
        assertThat(out[32 + 4 * y + x]).isCloseTo(7f, within(1e-3f));
      }
    }
  }
}
