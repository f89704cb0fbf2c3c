package org.bevt4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import java.util.Map;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.Test;

class ModuleTest {
  static final class Two extends Module {
    final Linear fc = child("fc", new Linear(3, 2, true));
    final LayerNorm norm = child("norm", new LayerNorm(2));
  }

  @Test
  void namesLoadAndGradients() {
    try (NDManager m = NDManager.newBaseManager()) {
      Two t = new Two();
      t.initialize(m);
      assertThat(t.namedParameters().keySet())
          .containsExactly("fc.weight", "fc.bias", "norm.weight", "norm.bias");
      StateDict sd =
          new StateDict(
              Map.of(
                  "fc.weight", TensorData.ofFloats(new float[] {1, 0, 0, 0, 1, 0}, 2, 3),
                  "fc.bias", TensorData.ofFloats(new float[] {0.5f, -0.5f}, 2)),
              "test");
      var report = StateDictBinder.bind(t, sd, false, java.util.Set.of());
      assertThat(report.loaded()).containsExactly("fc.weight", "fc.bias");
      assertThat(report.missing()).containsExactly("norm.weight", "norm.bias");
      NDArray x = m.create(new float[] {1, 2, 3}, new Shape(1, 3));
      assertThat(t.fc.forward(x).toFloatArray()).containsExactly(1.5f, 1.5f);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = t.norm.forward(t.fc.forward(x)).square().sum();
        gc.backward(y);
      }
      assertThat(t.fc.weight().array().getGradient().getShape()).isEqualTo(new Shape(2, 3));
      StateDict bad =
          new StateDict(Map.of("fc.weight", TensorData.ofFloats(new float[6], 3, 2)), "bad.safetensors");
      assertThatThrownBy(() -> StateDictBinder.bindStrict(t, bad))
          .hasMessageContaining("bad.safetensors")
          .hasMessageContaining("fc.weight: expected [2, 3], found [3, 2]")
          .hasMessageContaining("missing keys");
    }
  }

  @Test
  void rollMatchesTorchSemantics() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.arange(6f).reshape(1, 6);
      assertThat(Ops.roll(x, new long[] {-2}, new int[] {1}).toFloatArray())
          .containsExactly(2, 3, 4, 5, 0, 1);
      assertThat(Ops.roll(x, new long[] {1}, new int[] {1}).toFloatArray())
          .containsExactly(5, 0, 1, 2, 3, 4);
    }
  }
}
