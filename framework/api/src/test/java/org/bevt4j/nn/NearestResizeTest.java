package org.bevt4j.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class NearestResizeTest {
  @Test
  void indicesMatchPyTorchLegacyNearest() {
    // values of F.interpolate(torch.arange(in), size=out, mode='nearest')
    assertThat(NearestResize.indices(4, 6)).containsExactly(0, 0, 1, 2, 2, 3);
    assertThat(NearestResize.indices(4, 5)).containsExactly(0, 0, 1, 2, 3);
    assertThat(NearestResize.indices(4, 8)).containsExactly(0, 0, 1, 1, 2, 2, 3, 3);
    assertThat(NearestResize.indices(6, 4)).containsExactly(0, 1, 3, 4);
    assertThat(NearestResize.indices(3, 7)).containsExactly(0, 0, 0, 1, 1, 2, 2);
    assertThat(NearestResize.indices(8, 16)).containsExactly(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
    assertThat(NearestResize.indices(5, 5)).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void resizesAxesOfAnyDtypeWithGradients() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray mask = m.create(new boolean[] {true, false, false, true}, new Shape(1, 2, 2));
      NDArray up = NearestResize.resize(mask, 1, 4, 4);
      assertThat(up.getDataType()).isEqualTo(DataType.BOOLEAN);
      assertThat(up.toType(DataType.INT32, false).toIntArray())
          .containsExactly(1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1);
      NDArray x = m.arange(6f).reshape(1, 6, 1);
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = NearestResize.alongAxis(x, 1, 4); // rows 0, 1, 3, 4
        assertThat(y.toFloatArray()).containsExactly(0, 1, 3, 4);
        gc.backward(y.sum());
      }
      assertThat(x.getGradient().toFloatArray()).containsExactly(1, 1, 0, 1, 1, 0);
    }
  }
}
