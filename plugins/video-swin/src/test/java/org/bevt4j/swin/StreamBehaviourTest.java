package org.bevt4j.swin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.swin.weights.SwinWeights;
import org.junit.jupiter.api.Test;

/** Masking, output maps, the image-stream constraints and the image mask quirk switch. */
class StreamBehaviourTest {
  private static SwinTransformer3D model(NDManager m, SwinConfig cfg) {
    Engine.getInstance().setRandomSeed(5);
    SwinTransformer3D s = new SwinTransformer3D(cfg);
    s.initialize(m);
    return s;
  }

  private static NDArray mask(NDManager m, boolean value, long... shape) {
    return m.full(new Shape(shape), value ? 1 : 0, DataType.INT32).toType(DataType.BOOLEAN, false);
  }

  @Test
  void outputMapsAndShapes() {
    try (NDManager m = NDManager.newBaseManager()) {
      SwinTransformer3D s = model(m, TinyConfigs.bevt().build());
      BackboneOutput v = s.forwardVideo(m.randomNormal(new Shape(1, 3, 4, 16, 16)), null, false);
      assertThat(v.all().stream().map(f -> f.name())).containsExactly("stage1.pre", "stage1", "stage2", "features");
      assertThat(v.get("stage1.pre").features().getShape()).isEqualTo(new Shape(1, 8, 2, 4, 4));
      assertThat(v.get("stage1").features().getShape()).isEqualTo(new Shape(1, 16, 2, 2, 2));
      assertThat(v.get("features").grid().toString()).isEqualTo("2x2x2");
      assertThat(s.bevtHeads().decodeVideo(v).getShape()).isEqualTo(new Shape(1, 64, 16));
      BackboneOutput i = s.forwardImage(m.randomNormal(new Shape(2, 3, 16, 16)), null, false);
      assertThat(i.get("stage1.pre").features().getShape()).isEqualTo(new Shape(2, 8, 1, 4, 4));
      assertThat(s.bevtHeads().decodeImage(i).getShape()).isEqualTo(new Shape(2, 16, 16));
    }
  }

  @Test
  void maskTokenReplacesMaskedPositions() {
    try (NDManager m = NDManager.newBaseManager()) {
      SwinTransformer3D s = model(m, TinyConfigs.bevt().build());
      NDArray a = m.randomNormal(new Shape(1, 3, 4, 16, 16));
      NDArray b = m.randomNormal(new Shape(1, 3, 4, 16, 16));
      // nothing masked = no mask
      float[] plain = s.forwardVideo(a, null, false).last().features().toFloatArray();
      float[] none = s.forwardVideo(a, mask(m, false, 1, 2, 4, 4), false).last().features().toFloatArray();
      assertThat(none).containsExactly(plain);
      // everything masked: the input no longer matters
      float[] fa = s.forwardVideo(a, mask(m, true, 1, 2, 4, 4), false).last().features().toFloatArray();
      float[] fb = s.forwardVideo(b, mask(m, true, 1, 1, 1, 1), false).last().features().toFloatArray();
      assertThat(fa).containsExactly(fb);
      assertThat(fa).isNotEqualTo(plain);
      NDArray img = m.randomNormal(new Shape(2, 3, 16, 16));
      NDArray img2 = m.randomNormal(new Shape(2, 3, 16, 16));
      assertThat(s.forwardImage(img, mask(m, true, 2, 4, 4), false).last().features().toFloatArray())
          .containsExactly(s.forwardImage(img2, mask(m, true, 2, 2, 2), false).last().features().toFloatArray());
      assertThatThrownBy(() -> s.forwardVideo(a, mask(m, true, 2, 2, 4, 4), false)).hasMessageContaining("B = 1");
    }
  }

  @Test
  void imageStreamNeverPadsAndSaysWhy() {
    try (NDManager m = NDManager.newBaseManager()) {
      SwinTransformer3D s = model(m, TinyConfigs.bevt().build());
      assertThatThrownBy(() -> s.forwardImage(m.randomNormal(new Shape(1, 3, 20, 20)), null, false))
          .hasMessageContaining("5x5 is not a multiple of the 2-D window 2")
          .hasMessageContaining("never pads");
      SwinTransformer3D plain = model(m, TinyConfigs.bevt().bevt(false).build());
      assertThatThrownBy(() -> plain.forwardImage(m.randomNormal(new Shape(1, 3, 16, 16)), null, false))
          .hasMessageContaining("bevt = true");
      assertThatThrownBy(() -> plain.forwardVideo(m.randomNormal(new Shape(1, 3, 4, 16, 16)), mask(m, true, 1, 2, 4, 4), false))
          .hasMessageContaining("mask token");
    }
  }

  @Test
  void videoDecoderNeedsHalvableGrids() {
    try (NDManager m = NDManager.newBaseManager()) {
      SwinTransformer3D s = model(m, TinyConfigs.bevt().build());
      // 20 px -> 5x5 patch grid -> merged (padded) to 3x3; 2*3 != 5
      BackboneOutput out = s.forwardVideo(m.randomNormal(new Shape(1, 3, 4, 20, 20)), null, false);
      assertThatThrownBy(() -> s.bevtHeads().decodeVideo(out)).hasMessageContaining("exactly half");
    }
  }

  @Test
  void imageMaskQuirkCanBeSwitchedOff() {
    try (NDManager m = NDManager.newBaseManager()) {
      SwinTransformer3D quirk = model(m, TinyConfigs.bevt().build());
      SwinTransformer3D standard = model(m, TinyConfigs.bevt().imageMaskQuirk(false).build());
      StateDict w = new StateDict(StateDictBinder.snapshot(quirk), "same");
      SwinWeights.load(standard, w, new SwinWeights.Options("", true, false, null));
      NDArray img = m.randomNormal(new Shape(2, 3, 16, 16));
      Map<String, NDArray> q = new LinkedHashMap<>();
      Map<String, NDArray> n = new LinkedHashMap<>();
      float[] a = quirk.forwardImage(img, null, false, q::put).last().features().toFloatArray();
      float[] b = standard.forwardImage(img, null, false, n::put).last().features().toFloatArray();
      assertThat(a).isNotEqualTo(b);
      // quirk: every stage has a mask (also the last, 2x2 = window); standard Swin: only stage 1 (4x4 > 2)
      assertThat(q).containsKeys("layers.0.attn_mask", "layers.1.attn_mask");
      assertThat(n).containsKey("layers.0.attn_mask").doesNotContainKey("layers.1.attn_mask");
      // the video stream is unaffected by the switch
      NDArray v = m.randomNormal(new Shape(1, 3, 4, 16, 16));
      assertThat(quirk.forwardVideo(v, null, false).last().features().toFloatArray())
          .containsExactly(standard.forwardVideo(v, null, false).last().features().toFloatArray());
    }
  }
}
