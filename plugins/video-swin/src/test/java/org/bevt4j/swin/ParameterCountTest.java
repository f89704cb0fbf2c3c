package org.bevt4j.swin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Preset sizes, counted from declared shapes (nothing is allocated). */
class ParameterCountTest {
  private static double millions(String preset) {
    SwinTransformer3D m = new SwinTransformer3D(SwinPresets.get(preset).build());
    assertThat(m.namedParameters().values()).allMatch(p -> !p.isInitialized());
    return m.parameterCount() / 1e6;
  }

  @Test
  void videoSwinSizes() {
    assertThat(millions("tiny")).isCloseTo(27.85, within(0.1));
    assertThat(millions("small")).isCloseTo(49.51, within(0.1));
    assertThat(millions("base")).isCloseTo(87.64, within(0.1));
  }

  @Test
  void bevtSwinBase() {
    assertThat(millions("bevt-base")).isCloseTo(101.28, within(0.01));
    SwinTransformer3D m = new SwinTransformer3D(SwinPresets.get("bevt-base").build());
    assertThat(m.namedParameters().get("fpn.0.weight").shape().getShape()).containsExactly(1024, 1024, 2, 2);
    assertThat(m.namedParameters().get("fpn_s.0.weight").shape().getShape()).containsExactly(1024, 1024, 1, 2, 2);
    assertThat(m.namedParameters().get("fpn_t.0.weight").shape().getShape()).containsExactly(1024, 1024, 2, 1, 1);
    assertThat(m.namedParameters().get("lm_down_st.0.weight").shape().getShape()).containsExactly(1024, 1536);
    assertThat(m.namedParameters().get("layers.2.blocks.17.attn.relative_position_bias_table").shape().getShape())
        .containsExactly(2535, 16);
    assertThat(m.namedParameters()).doesNotContainKey("layers.0.blocks.0.attn.relative_position_index");
  }
}
