package org.bevt4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class WindowOpsTest {
  @Test
  void partitionOrdersWindowsAndTokensLikeUpstream() {
    try (NDManager m = NDManager.newBaseManager()) {
      // (B=1, D=2, H=2, W=4, C=1), values = flat position
      NDArray x = m.arange(16f).reshape(1, 2, 2, 4, 1);
      NDArray w = WindowOps.partition(x, new int[] {1, 2, 2});
      assertThat(w.getShape()).isEqualTo(new Shape(4, 4, 1));
      // window 0: d=0, h 0..1, w 0..1 -> positions 0,1,4,5 ; window 1: d=0, w 2..3 -> 2,3,6,7
      assertThat(w.get(0).toFloatArray()).containsExactly(0, 1, 4, 5);
      assertThat(w.get(1).toFloatArray()).containsExactly(2, 3, 6, 7);
      assertThat(w.get(2).toFloatArray()).containsExactly(8, 9, 12, 13);
      NDArray back = WindowOps.reverse(w, new int[] {1, 2, 2}, 1, 2, 2, 4);
      assertThat(back.toFloatArray()).containsExactly(x.toFloatArray());
      assertThatThrownBy(() -> WindowOps.partition(x, new int[] {1, 3, 2})).hasMessageContaining("not a multiple");
    }
  }

  @Test
  void relativeIndexFormulaAndTopLeftReuse() {
    int[] win = {2, 2, 2};
    long[] idx = RelativePositionIndex.full(win);
    assertThat(RelativePositionIndex.tableRows(win)).isEqualTo(27);
    // token 0 = (0,0,0), token 7 = (1,1,1): rel (−1,−1,−1)+1 = (0,0,0) -> 0 ; rel (1,1,1)+1 = (2,2,2) -> 26
    assertThat(idx[0 * 8 + 7]).isEqualTo(0);
    assertThat(idx[7 * 8 + 0]).isEqualTo(26);
    assertThat(idx[0]).isEqualTo(13); // diagonal: centre of the table
    long[] tl = RelativePositionIndex.topLeft(win, 4);
    assertThat(tl).hasSize(16);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        assertThat(tl[i * 4 + j]).isEqualTo(idx[i * 8 + j]);
      }
    }
    // the 4 first tokens are the d = 0 plane: only Δd = 0 rows (9..17) are used
    for (long v : tl) {
      assertThat(v).isBetween(9L, 17L);
    }
  }

  @Test
  void shiftMaskFollowsPythonSlices() {
    // 1-D along w: length 4, window 2, shift 1 -> regions [0:-2]={0,1}, [-2:-1]={2}, [-1:]={3}
    float[] mask = ShiftWindowMask.compute(new int[] {1, 1, 4}, new int[] {1, 1, 2}, new int[] {0, 0, 1});
    // windows: {0,1} (same region) and {2,3} (different)
    assertThat(mask).containsExactly(0, 0, 0, 0, 0, -100, -100, 0);
    // shift 0 on an axis: [-w:-0] is empty and [-0:] is the whole axis -> a single region
    float[] none = ShiftWindowMask.compute(new int[] {1, 1, 4}, new int[] {1, 1, 2}, new int[] {0, 0, 0});
    assertThat(none).containsOnly(0f);
    assertThat(ShiftWindowMask.pySlice(4, -2, 0)).containsExactly(2, 2);
    assertThat(ShiftWindowMask.pySlice(4, 0, null)).containsExactly(0, 4);
  }

  @Test
  void cachesAreDetachedAndReused() {
    try (NDManager m = NDManager.newBaseManager()) {
      WindowCaches c = new WindowCaches(() -> m);
      NDArray a;
      try (ai.djl.ndarray.NDScope s = new ai.djl.ndarray.NDScope()) {
        a = c.shiftMask(new int[] {2, 4, 4}, new int[] {2, 2, 2}, new int[] {1, 1, 1});
        c.biasIndex(new int[] {2, 2, 2}, 8);
      }
      assertThat(a.isReleased()).isFalse();
      assertThat(c.shiftMask(new int[] {2, 4, 4}, new int[] {2, 2, 2}, new int[] {1, 1, 1})).isSameAs(a);
      assertThat(a.getShape()).isEqualTo(new Shape(4, 8, 8));
      assertThat(c.size()).isEqualTo(2);
    }
  }
}
