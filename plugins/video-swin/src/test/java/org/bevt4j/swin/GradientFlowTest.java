package org.bevt4j.swin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.nn.Param;
import org.junit.jupiter.api.Test;

/** One training step per stream reaches every parameter that stream uses, and frozen stages get none. */
class GradientFlowTest {
  static final Set<String> IMAGE_ONLY = Set.of("patch_embed_2d.", "lm_down.", "fpn.0.");
  static final Set<String> VIDEO_ONLY = Set.of("patch_embed.", "lm_down_st.", "fpn_s.", "fpn_t.");

  @Test
  void videoStepReachesEveryVideoParameter() {
    List<String> noGrad = step(TinyConfigs.bevt().build(), false);
    assertThat(noGrad).containsExactlyInAnyOrderElementsOf(only(IMAGE_ONLY));
  }

  @Test
  void imageStepReachesEveryImageParameter() {
    List<String> noGrad = step(TinyConfigs.bevt().build(), true);
    assertThat(noGrad).containsExactlyInAnyOrderElementsOf(only(VIDEO_ONLY));
  }

  /** Parameter names of the tiny model under the given prefixes. */
  static List<String> only(Set<String> prefixes) {
    return new SwinTransformer3D(TinyConfigs.bevt().build()).namedParameters().keySet().stream()
        .filter(k -> prefixes.stream().anyMatch(k::startsWith))
        .toList();
  }

  @Test
  void frozenStagesGetNoGradient() {
    List<String> noGrad = step(TinyConfigs.bevt().frozenStages(1).build(), false);
    assertThat(noGrad).anyMatch(k -> k.startsWith("layers.0."));
    assertThat(noGrad).allMatch(k -> k.startsWith("layers.0.") || k.startsWith("patch_embed") || IMAGE_ONLY.stream().anyMatch(k::startsWith));
    assertThat(noGrad).noneMatch(k -> k.startsWith("layers.1."));
  }

  /** Runs one masked step; returns the parameters whose gradient is absent or zero. */
  static List<String> step(SwinConfig cfg, boolean image) {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(1);
      SwinTransformer3D model = new SwinTransformer3D(cfg);
      model.initialize(m);
      NDArray x = image ? m.randomNormal(new Shape(2, 3, 16, 16)) : m.randomNormal(new Shape(2, 3, 4, 16, 16));
      NDArray mask = image ? checker(m, 2, 1, 4, 4).squeeze(1) : checker(m, 2, 2, 4, 4);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        BackboneOutput out = image ? model.forwardImage(x, mask, true) : model.forwardVideo(x, mask, true);
        NDArray y = image ? model.bevtHeads().decodeImage(out) : model.bevtHeads().decodeVideo(out);
        gc.backward(y.mul(m.randomNormal(y.getShape())).sum());
      }
      List<String> none = new ArrayList<>();
      for (Map.Entry<String, Param> e : model.namedParameters().entrySet()) {
        Param p = e.getValue();
        if (!p.isTrainable()) {
          assertThat(p.array().hasGradient()).as(e.getKey() + " is frozen").isFalse();
          none.add(e.getKey());
          continue;
        }
        NDArray g = p.array().getGradient();
        if (g == null || g.abs().sum().getFloat() == 0f) {
          none.add(e.getKey());
        }
      }
      return none;
    }
  }

  /** A (B, t, h, w) boolean mask with every other position masked. */
  static NDArray checker(NDManager m, int b, int t, int h, int w) {
    boolean[] v = new boolean[b * t * h * w];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i + i / w) % 2 == 0;
    }
    return m.create(v, new Shape(b, t, h, w)).toType(DataType.BOOLEAN, false);
  }
}
