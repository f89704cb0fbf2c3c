package org.bevt4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class AttentionTest {
  @Test
  void namesShapesAndAHandComputedCase() {
    try (NDManager m = NDManager.newBaseManager()) {
      Attention a = new Attention(4, 2, true, null, 0, 0, Init.truncNormal(0.02));
      a.initialize(m);
      assertThat(a.namedParameters().keySet()).containsExactly("qkv.weight", "qkv.bias", "proj.weight", "proj.bias");
      assertThat(a.namedParameters().get("qkv.weight").shape()).isEqualTo(new Shape(12, 4));
      assertThat(a.scale()).isEqualTo((float) Math.pow(2, -0.5));
      // identity q, k, v and proj: each head attends over 2 tokens with softmax of scaled dot products
      float[] qkv = new float[48];
      for (int part = 0; part < 3; part++) {
        for (int i = 0; i < 4; i++) {
          qkv[(part * 4 + i) * 4 + i] = 1;
        }
      }
      a.qkv().weight().copyFrom(m.create(qkv, new Shape(12, 4)));
      a.qkv().bias().copyFrom(m.zeros(new Shape(12)));
      a.proj().weight().copyFrom(m.eye(4));
      a.proj().bias().copyFrom(m.zeros(new Shape(4)));
      NDArray x = m.create(new float[] {1, 0, 0, 2, 0, 1, 1, 0}, new Shape(1, 2, 4));
      float[] y = a.forward(x, false).toFloatArray();
      // head 0 = channels 0-1: tokens (1,0), (0,1); head 1 = channels 2-3: (0,2), (1,0)
      double s = Math.pow(2, -0.5);
      double w00 = Math.exp(1 * s) / (Math.exp(1 * s) + Math.exp(0));
      assertThat(y[0]).isCloseTo((float) w00, org.assertj.core.data.Offset.offset(1e-6f));
      assertThat(y[1]).isCloseTo((float) (1 - w00), org.assertj.core.data.Offset.offset(1e-6f));
      double h1 = Math.exp(4 * s) / (Math.exp(4 * s) + Math.exp(0));
      assertThat(y[2]).isCloseTo((float) (1 - h1), org.assertj.core.data.Offset.offset(1e-6f));
      assertThat(y[3]).isCloseTo((float) (2 * h1), org.assertj.core.data.Offset.offset(1e-6f));
      assertThatThrownBy(() -> new Attention(6, 4, true, null, 0, 0, null)).hasMessageContaining("not divisible");
    }
  }
}
