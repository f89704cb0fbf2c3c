package org.bevt4j.swin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.bevt4j.io.WeightFileException;
import org.bevt4j.nn.Interpolate;
import org.bevt4j.swin.weights.SwinInflation;
import org.bevt4j.swin.weights.SwinWeights;
import org.junit.jupiter.api.Test;

/** Weight loading rules: shapes, missing keys, prefixes, BEVT-only keys, 2-D inflation and window resizing. */
class WeightsTest {
  private static final SwinWeights.Options STRICT = new SwinWeights.Options("", true, false, null);

  private static SwinTransformer3D tiny(NDManager m, SwinConfig cfg) {
    SwinTransformer3D model = new SwinTransformer3D(cfg);
    model.initialize(m);
    return model;
  }

  private static StateDict state(SwinTransformer3D model, String source) {
    return new StateDict(StateDictBinder.snapshot(model), source);
  }

  @Test
  void wrongShapesAreRefusedWithKeyExpectedAndFound() {
    try (NDManager m = NDManager.newBaseManager()) {
      SwinTransformer3D model = tiny(m, TinyConfigs.bevt().build());
      Map<String, TensorData> t = new LinkedHashMap<>(StateDictBinder.snapshot(model));
      t.put("layers.1.blocks.0.attn.qkv.weight", TensorData.ofFloats(new float[48 * 8], 48, 8));
      StateDict bad = new StateDict(t, "bad.safetensors");
      assertThatThrownBy(() -> SwinWeights.load(model, bad, new SwinWeights.Options("", false, false, null)))
          .isInstanceOf(WeightFileException.class)
          .hasMessageContaining("bad.safetensors")
          .hasMessageContaining("layers.1.blocks.0.attn.qkv.weight: expected [48, 16], found [48, 8]");
    }
  }

  @Test
  void missingKeysAreReported() {
    try (NDManager m = NDManager.newBaseManager()) {
      SwinTransformer3D model = tiny(m, TinyConfigs.bevt().build());
      StateDict partial = state(model, "partial.safetensors").without(k -> k.startsWith("fpn_t.") || k.equals("norm.weight"));
      assertThatThrownBy(() -> SwinWeights.load(model, partial, STRICT))
          .hasMessageContaining("partial.safetensors")
          .hasMessageContaining("missing keys (3)")
          .hasMessageContaining("fpn_t.0.weight")
          .hasMessageContaining("norm.weight");
      BindReport r = SwinWeights.load(model, partial, new SwinWeights.Options("", false, false, null));
      assertThat(r.missing()).containsExactlyInAnyOrder("norm.weight", "fpn_t.0.weight", "fpn_t.0.bias");
      assertThat(r.loaded()).hasSize(model.namedParameters().size() - 3);
    }
  }

  @Test
  void checkpointPrefixesBuffersAndBevtOnlyKeys() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      SwinTransformer3D bevt = tiny(m, TinyConfigs.bevt().build());
      Map<String, TensorData> ckpt = new LinkedHashMap<>();
      StateDictBinder.snapshot(bevt).forEach((k, v) -> ckpt.put("module.backbone." + k, v));
      ckpt.put("module.backbone.layers.0.blocks.0.attn.relative_position_index", TensorData.ofLongs(new long[64], 8, 8));
      ckpt.put("module.cls_head.lm_head.weight", TensorData.ofFloats(new float[16 * 16], 16, 16));
      StateDict sd = new StateDict(ckpt, "bevt.pth");
      // into a fresh BEVT model: everything loads strictly
      SwinTransformer3D other = tiny(m, TinyConfigs.bevt().build());
      BindReport r = SwinWeights.load(other, sd, SwinWeights.Options.defaults());
      assertThat(r.clean()).isTrue();
      assertThat(other.namedParameters().get("mask_token").array().toFloatArray())
          .containsExactly(bevt.namedParameters().get("mask_token").array().toFloatArray());
      // into a plain Video Swin (fine-tuning): the BEVT-only tensors are skipped, the rest loads strictly
      SwinTransformer3D plain = tiny(m, TinyConfigs.bevt().bevt(false).build());
      BindReport p = SwinWeights.load(plain, sd, SwinWeights.Options.defaults());
      assertThat(p.loaded()).hasSize(plain.namedParameters().size());
      assertThat(p.unexpected()).isEmpty();
      // an explicit prefix that matches nothing is an error naming it
      assertThatThrownBy(() -> SwinWeights.load(plain, sd, new SwinWeights.Options("encoder.", true, false, null)))
          .hasMessageContaining("weights-prefix \"encoder.\"");
    }
  }

  @Test
  void inflateTwoDimensionalSwin() {
    try (NDManager m = NDManager.newBaseManager()) {
      // model window (2,2,2): 3-D tables 3*3*3 = 27 rows; 2-D tables of window 2 have 9 rows
      SwinTransformer3D model = tiny(m, TinyConfigs.bevt().build());
      Map<String, TensorData> twoD = new LinkedHashMap<>();
      float[] patch = new float[8 * 3 * 4 * 4];
      for (int i = 0; i < patch.length; i++) {
        patch[i] = i;
      }
      twoD.put("encoder.patch_embed.proj.weight", TensorData.ofFloats(patch, 8, 3, 4, 4));
      twoD.put("encoder.patch_embed.proj.bias", TensorData.ofFloats(new float[8], 8));
      float[] table9 = new float[9];
      for (int i = 0; i < 9; i++) {
        table9[i] = i + 1;
      }
      twoD.put("encoder.layers.0.blocks.0.attn.relative_position_bias_table", TensorData.ofFloats(table9, 9, 1));
      // a window-3 2-D table (25 rows) is bicubic-resized to 3x3 first
      float[] table25 = new float[25 * 2];
      for (int i = 0; i < table25.length; i++) {
        table25[i] = (i % 7) * 0.5f;
      }
      twoD.put("encoder.layers.1.blocks.0.attn.relative_position_bias_table", TensorData.ofFloats(table25, 25, 2));
      twoD.put("encoder.layers.0.blocks.0.attn.relative_position_index", TensorData.ofLongs(new long[16], 4, 4));
      twoD.put("encoder.fc_norm.weight", TensorData.ofFloats(new float[16], 16));
      twoD.put("encoder.something.else", TensorData.ofFloats(new float[1], 1));
      StateDict out = SwinInflation.inflate(new StateDict(twoD, "swin2d.pth"), model);

      assertThat(out.keys()).doesNotContain("something.else", "layers.0.blocks.0.attn.relative_position_index", "fc_norm.weight");
      assertThat(out.get("norm.weight").shape()).containsExactly(16);
      TensorData p3 = out.get("patch_embed.proj.weight");
      assertThat(p3.shape()).containsExactly(8, 3, 2, 4, 4);
      float[] v3 = p3.toFloats();
      // out[o, c, d, h, w] = in[o, c, h, w] / 2 for d = 0, 1
      assertThat(v3[0]).isEqualTo(0f);
      assertThat(v3[16 + 5]).isEqualTo(5f / 2);
      assertThat(v3[32 + 16 + 3]).isEqualTo((16 + 3) / 2f);
      assertThat(out.get("patch_embed_2d.proj.weight").toFloats()).containsExactly(patch);
      assertThat(out.get("patch_embed_2d.proj.bias").shape()).containsExactly(8);

      float[] t0 = out.get("layers.0.blocks.0.attn.relative_position_bias_table").toFloats();
      assertThat(out.get("layers.0.blocks.0.attn.relative_position_bias_table").shape()).containsExactly(27, 1);
      for (int d = 0; d < 3; d++) {
        for (int i = 0; i < 9; i++) {
          assertThat(t0[d * 9 + i]).isEqualTo(table9[i]); // tiled along rows, d-major
        }
      }
      TensorData t1 = out.get("layers.1.blocks.0.attn.relative_position_bias_table");
      assertThat(t1.shape()).containsExactly(27, 2);
      float[] planes = new float[50];
      for (int r = 0; r < 25; r++) {
        planes[r] = table25[r * 2];
        planes[25 + r] = table25[r * 2 + 1];
      }
      float[] resized = Interpolate.bicubic(planes, 2, 5, 5, 3, 3);
      float[] v1 = t1.toFloats();
      for (int d = 0; d < 3; d++) {
        for (int r = 0; r < 9; r++) {
          assertThat(v1[(d * 9 + r) * 2]).isCloseTo(resized[r], within(1e-6f));
          assertThat(v1[(d * 9 + r) * 2 + 1]).isCloseTo(resized[9 + r], within(1e-6f));
        }
      }
    }
  }

  @Test
  void inflateFromImageStageKeepsTheDeltaDZeroPlane() {
    try (NDManager m = NDManager.newBaseManager()) {
      SwinTransformer3D model = tiny(m, TinyConfigs.bevt().build());
      StateDict stage = state(model, "image-stage");
      float[] table = stage.get("layers.0.blocks.1.attn.relative_position_bias_table").toFloats();
      StateDict out = model.inflate(stage);
      float[] v = out.get("layers.0.blocks.1.attn.relative_position_bias_table").toFloats();
      // window (2,2,2): rows 9..17 are the Δd = 0 plane, copied to every temporal offset
      for (int d = 0; d < 3; d++) {
        for (int i = 0; i < 9; i++) {
          assertThat(v[d * 9 + i]).isEqualTo(table[9 + i]);
        }
      }
      float[] p2 = stage.get("patch_embed_2d.proj.weight").toFloats();
      float[] p3 = out.get("patch_embed.proj.weight").toFloats();
      assertThat(p3[16]).isEqualTo(p2[0] / 2); // (o0, c0, d1, h0, w0)
      assertThat(out.keys()).containsAll(model.namedParameters().keySet());
    }
  }

  @Test
  void resizeTablesForANewWindow() {
    // pretrained window (2,2,2): 3*3*3 rows; new window (4,2,2): 7*3*3 rows, trilinear along d
    float[] table = new float[27 * 2];
    for (int r = 0; r < 27; r++) {
      table[r * 2] = 5f;
      table[r * 2 + 1] = r / 9; // = d index: 0, 1, 2
    }
    StateDict sd =
        new StateDict(Map.of("layers.0.blocks.0.attn.relative_position_bias_table", TensorData.ofFloats(table, 27, 2)), "k400.pth");
    StateDict out = SwinInflation.resizeWindow(sd, new int[] {2, 2, 2}, new int[] {4, 2, 2});
    TensorData t = out.get("layers.0.blocks.0.attn.relative_position_bias_table");
    assertThat(t.shape()).containsExactly(63, 2);
    float[] v = t.toFloats();
    float[] along = Interpolate.trilinear(new float[] {0, 1, 2}, 1, 3, 1, 1, 7, 1, 1);
    for (int r = 0; r < 63; r++) {
      assertThat(v[r * 2]).isCloseTo(5f, within(1e-6f)); // constants stay constant
      assertThat(v[r * 2 + 1]).isCloseTo(along[r / 9], within(1e-6f));
    }
    assertThat(along[0]).isEqualTo(0f);
    assertThat(along[3]).isCloseTo(1f, within(1e-6f));
    assertThatThrownBy(() -> SwinInflation.resizeWindow(sd, new int[] {3, 2, 2}, new int[] {4, 2, 2}))
        .hasMessageContaining("do not match the pretrained window");
  }
}
