package org.bevt4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class InterpolateTest {
  @Test
  void bicubicMatchesTorch() {
    // F.interpolate(torch.tensor([[[[1.,2.],[3.,4.]]]]), size=(4,4), mode='bicubic') (align_corners=False)
    float[] out = Interpolate.bicubic(new float[] {1, 2, 3, 4}, 1, 2, 2, 4, 4);
    float[] torch = {
      0.68359375f, 1.015625f, 1.5625f, 1.89453125f,
      1.34765625f, 1.6796875f, 2.2265625f, 2.55859375f,
      2.44140625f, 2.7734375f, 3.3203125f, 3.65234375f,
      3.10546875f, 3.4375f, 3.984375f, 4.31640625f
    };
    for (int i = 0; i < 16; i++) {
      assertThat(out[i]).isCloseTo(torch[i], within(1e-6f));
    }
    // same size: identity
    float[] id = Interpolate.bicubic(new float[] {1, 5, 2, 7, 3, 9, 4, 0, 6}, 1, 3, 3, 3, 3);
    assertThat(id).containsExactly(1, 5, 2, 7, 3, 9, 4, 0, 6);
  }

  @Test
  void trilinearMatchesTorchIndexRule() {
    // 1 x 2 x 1 x 1 -> 1 x 4 x 1 x 1: src = max((i+0.5)/2 - 0.5, 0) = 0, 0.25, 0.75, 1.25 (clamped)
    float[] out = Interpolate.trilinear(new float[] {0, 4}, 1, 2, 1, 1, 4, 1, 1);
    assertThat(out).containsExactly(0f, 1f, 3f, 4f);
    // 3 -> 5 along d: scale 0.6: src 0, 0.4, 1.0, 1.6, 2.2 -> clamped at the end
    float[] o2 = Interpolate.trilinear(new float[] {0, 10, 20}, 1, 3, 1, 1, 5, 1, 1);
    assertThat(o2[0]).isCloseTo(0f, within(1e-5f));
    assertThat(o2[1]).isCloseTo(4f, within(1e-5f));
    assertThat(o2[2]).isCloseTo(10f, within(1e-5f));
    assertThat(o2[3]).isCloseTo(16f, within(1e-5f));
    assertThat(o2[4]).isCloseTo(20f, within(1e-5f));
  }

  @Test
  void nearestLegacyIndexAndArrays() {
    assertThat(Interpolate.nearestIndex(4, 8)).containsExactly(0, 0, 1, 1, 2, 2, 3, 3);
    assertThat(Interpolate.nearestIndex(3, 7)).containsExactly(0, 0, 0, 1, 1, 2, 2);
    assertThat(Interpolate.nearestIndex(4, 2)).containsExactly(0, 2);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6}).reshape(1, 2, 3);
      NDArray y = Interpolate.nearest(x, 4, 7);
      assertThat(y.getShape().getShape()).containsExactly(1, 4, 7);
      assertThat(y.get(0).get(0).toFloatArray()).containsExactly(1, 1, 1, 2, 2, 3, 3);
      assertThat(y.get(0).get(3).toFloatArray()).containsExactly(4, 4, 4, 5, 5, 6, 6);
    }
  }
}
