package org.bevt4j.timesformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.bevt4j.api.BevtException;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.NearestResize;
import org.junit.jupiter.api.Test;

/** Inflation from image weights (own image stage, timm ViT, BEiT) and adaptation on loading. */
class InflationTest {
  static final int C = 16;

  static TimeSformerConfig model(String extra) {
    return TrainingTest.tiny(",\"patch_size\":8,\"embed_dim\":" + C + ",\"num_heads\":2" + extra);
  }

  /** timm ViT weights for the model's spatial part: random, with a P x P pos_embed grid. */
  static Map<String, TensorData> vit(int depth, int grid, long seed) {
    Random r = new Random(seed);
    Map<String, TensorData> s = new LinkedHashMap<>();
    s.put("cls_token", rand(r, 1, 1, C));
    s.put("pos_embed", rand(r, 1, 1 + grid * grid, C));
    s.put("patch_embed.proj.weight", rand(r, C, 3, 8, 8));
    s.put("patch_embed.proj.bias", rand(r, C));
    for (int i = 0; i < depth; i++) {
      String p = "blocks." + i + ".";
      s.put(p + "norm1.weight", rand(r, C));
      s.put(p + "norm1.bias", rand(r, C));
      s.put(p + "attn.qkv.weight", rand(r, 3 * C, C));
      s.put(p + "attn.qkv.bias", rand(r, 3 * C));
      s.put(p + "attn.proj.weight", rand(r, C, C));
      s.put(p + "attn.proj.bias", rand(r, C));
      s.put(p + "norm2.weight", rand(r, C));
      s.put(p + "norm2.bias", rand(r, C));
      s.put(p + "mlp.fc1.weight", rand(r, 4 * C, C));
      s.put(p + "mlp.fc1.bias", rand(r, 4 * C));
      s.put(p + "mlp.fc2.weight", rand(r, C, 4 * C));
      s.put(p + "mlp.fc2.bias", rand(r, C));
    }
    s.put("norm.weight", rand(r, C));
    s.put("norm.bias", rand(r, C));
    s.put("head.weight", rand(r, 1000, C));
    s.put("head.bias", rand(r, 1000));
    return s;
  }

  static TensorData rand(Random r, long... shape) {
    float[] v = new float[Math.toIntExact(TensorData.numel(shape))];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * 0.2);
    }
    return TensorData.ofFloats(v, shape);
  }

  static void assertSame(TensorData a, TensorData b, String what) {
    assertThat(a.shape()).as(what).isEqualTo(b.shape());
    float[] x = a.toFloats();
    float[] y = b.toFloats();
    for (int i = 0; i < x.length; i++) {
      assertThat(x[i]).as(what + "[" + i + "]").isCloseTo(y[i], org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  static boolean zero(TensorData t) {
    for (float v : t.toFloats()) {
      if (v != 0) {
        return false;
      }
    }
    return true;
  }

  @Test
  void timmViTInflatesAsUpstreamLoadPretrained() {
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      VisionTransformer model = VisionTransformer.create(model(""), m);
      Map<String, TensorData> vit = vit(2, 4, 1);
      StateDict inflated = model.inflate(new StateDict(vit, "vit.safetensors").stripPrefixes());
      assertThat(inflated.keys()).containsExactlyElementsOf(model.namedParameters().keySet());
      for (String k : model.namedParameters().keySet()) {
        if (vit.containsKey(k)) {
          assertSame(inflated.get(k), vit.get(k), k);
        }
      }
      for (int i = 0; i < 2; i++) {
        String p = "blocks." + i + ".";
        for (String k : new String[] {"attn.qkv.weight", "attn.qkv.bias", "attn.proj.weight", "attn.proj.bias", "norm1.weight", "norm1.bias"}) {
          assertSame(inflated.get(p + "temporal_" + k), vit.get(p + k), p + "temporal_" + k);
        }
        assertThat(zero(inflated.get(p + "temporal_fc.weight"))).as(p + "temporal_fc (block 0 too: upstream quirk)").isTrue();
        assertThat(zero(inflated.get(p + "temporal_fc.bias"))).isTrue();
      }
      assertThat(zero(inflated.get("time_embed"))).isTrue();
      assertSame(inflated.get("mask_token"), TensorData.of(model.namedParameters().get("mask_token").array()), "mask_token kept");
      StateDictBinder.bindStrict(model, inflated);
      // the inflated video model sees a static clip exactly as the ViT sees the image
      NDArray image = Tensors.randn(m, 2, 1, 3, 32, 32);
      NDArray clipCls = model.forwardFeatures(image.expandDims(2).repeat(2, 4), false);
      NDArray imageCls = model.forwardImage(image, null, false).get(VisionTransformer.TOKENS).features().get(":, 0, :");
      assertThat(Tensors.relToMax(clipCls, imageCls)).isLessThan(1e-5);
    }
  }

  @Test
  void beitWithAbsolutePositionsFoldsLayerScaleAndSplitsBias() {
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      VisionTransformer model = VisionTransformer.create(model(""), m);
      Map<String, TensorData> vit = vit(2, 4, 2);
      Map<String, TensorData> beit = new LinkedHashMap<>();
      Random r = new Random(3);
      for (Map.Entry<String, TensorData> e : vit.entrySet()) {
        String k = e.getKey();
        if (k.startsWith("head.")) {
          continue;
        }
        beit.put("module." + k.replace("norm.", k.startsWith("norm.") ? "fc_norm." : "norm."), e.getValue());
      }
      for (int i = 0; i < 2; i++) {
        String p = "blocks." + i + ".";
        float[] qkvb = vit.get(p + "attn.qkv.bias").toFloats();
        java.util.Arrays.fill(qkvb, C, 2 * C, 0f);
        vit.put(p + "attn.qkv.bias", TensorData.ofFloats(qkvb, 3 * C));
        beit.remove("module." + p + "attn.qkv.bias");
        beit.put("module." + p + "attn.q_bias", TensorData.ofFloats(java.util.Arrays.copyOfRange(qkvb, 0, C), C));
        beit.put("module." + p + "attn.v_bias", TensorData.ofFloats(java.util.Arrays.copyOfRange(qkvb, 2 * C, 3 * C), C));
        // BEiT computes x + gamma * branch(x): store proj / gamma so that folding must give proj back
        for (String[] pair : new String[][] {{"gamma_1", "attn.proj"}, {"gamma_2", "mlp.fc2"}}) {
          float[] g = new float[C];
          for (int c = 0; c < C; c++) {
            g[c] = 0.5f + r.nextFloat();
          }
          beit.put("module." + p + pair[0], TensorData.ofFloats(g, C));
          float[] inv = new float[C];
          for (int c = 0; c < C; c++) {
            inv[c] = 1 / g[c];
          }
          TensorData gi = TensorData.ofFloats(inv, C);
          beit.put("module." + p + pair[1] + ".weight", HostTensors.scaleRows(vit.get(p + pair[1] + ".weight"), gi));
          beit.put("module." + p + pair[1] + ".bias", HostTensors.scaleRows(vit.get(p + pair[1] + ".bias"), gi));
        }
      }
      beit.put("module.mask_token", rand(r, 1, 1, C));
      beit.put("module.lm_head.weight", rand(r, 64, C));
      StateDict inflated = model.inflate(new StateDict(beit, "beit.pth"));
      for (String k : vit.keySet()) {
        if (!k.startsWith("head.")) {
          assertSame(inflated.get(k), vit.get(k), k);
        }
      }
      assertSame(inflated.get("mask_token"), beit.get("module.mask_token"), "mask_token");
      assertSame(inflated.get("blocks.1.temporal_attn.qkv.bias"), vit.get("blocks.1.attn.qkv.bias"), "temporal qkv bias");
      assertThat(inflated.keys()).doesNotContain("lm_head.weight");
    }
  }

  @Test
  void relativePositionBiasIsRefused() {
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      VisionTransformer model = VisionTransformer.create(model(""), m);
      Map<String, TensorData> beit = vit(2, 4, 4);
      beit.put("blocks.0.attn.relative_position_bias_table", rand(new Random(1), 4, 2));
      assertThatThrownBy(() -> model.inflate(new StateDict(beit, "beit_rel.pth")))
          .isInstanceOf(BevtException.class)
          .hasMessageContaining("beit_rel.pth")
          .hasMessageContaining("blocks.0.attn.relative_position_bias_table")
          .hasMessageContaining("use_abs_pos_emb");
      Map<String, TensorData> deep = vit(3, 4, 5);
      assertThatThrownBy(() -> model.inflate(new StateDict(deep, "deep.pth"))).hasMessageContaining("3 blocks").hasMessageContaining("depth 2");
    }
  }

  @Test
  void posEmbedIsResizedAsTheForwardDoesOrAsLoadPretrained() {
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      VisionTransformer grid = VisionTransformer.create(model(""), m); // 4 x 4 grid
      Map<String, TensorData> vit = vit(2, 3, 6); // trained on a 3 x 3 grid
      TensorData pe = grid.inflate(new StateDict(vit, "vit")).get("pos_embed");
      NDArray src = vit.get("pos_embed").toFloat32(m);
      NDArray expected = Embeddings.pos(src, 4, 4);
      assertThat(Tensors.relToMax(pe.toFloat32(m), expected)).isEqualTo(0);
      VisionTransformer seq = VisionTransformer.create(model(",\"pos_embed_inflation\":\"sequence\""), m);
      TensorData pe2 = seq.inflate(new StateDict(vit, "vit")).get("pos_embed");
      float[] in = vit.get("pos_embed").toFloats();
      float[] out = pe2.toFloats();
      long[] idx = NearestResize.indices(9, 16);
      for (int i = 0; i < 16; i++) {
        for (int c = 0; c < C; c++) {
          assertThat(out[(1 + i) * C + c]).isEqualTo(in[(1 + (int) idx[i]) * C + c]);
        }
      }
      for (int c = 0; c < C; c++) {
        assertThat(out[c]).isEqualTo(in[c]);
      }
    }
  }

  @Test
  void tubeletsAndSeparatePatchEmbedding() {
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      VisionTransformer model = VisionTransformer.create(model(",\"tubelet_size\":2,\"patch_embed_2d\":\"separate\""), m);
      Map<String, TensorData> vit = vit(2, 4, 7);
      StateDict inflated = model.inflate(new StateDict(vit, "vit"));
      assertSame(inflated.get("patch_embed_2d.proj.weight"), vit.get("patch_embed.proj.weight"), "2-D kernel");
      assertSame(inflated.get("patch_embed.proj.weight"), HostTensors.inflateKernel(vit.get("patch_embed.proj.weight"), 2), "tubelet kernel");
      assertSame(HostTensors.sumKernel(inflated.get("patch_embed.proj.weight")), vit.get("patch_embed.proj.weight"), "sum = 2-D");
      assertSame(inflated.get("patch_embed.proj.bias"), vit.get("patch_embed.proj.bias"), "bias");
      // an own image stage: the trained patch_embed_2d seeds both kernels, temporal parts are re-derived
      StateDictBinder.bindStrict(model, inflated);
      Map<String, TensorData> stage = new LinkedHashMap<>(StateDictBinder.snapshot(model));
      Random r = new Random(8);
      stage.put("patch_embed_2d.proj.weight", rand(r, C, 3, 8, 8));
      stage.put("blocks.0.temporal_fc.weight", rand(r, C, C));
      stage.put("time_embed", rand(r, 1, 2, C));
      StateDict again = model.inflate(new StateDict(stage, "stage"));
      assertSame(again.get("patch_embed.proj.weight"), HostTensors.inflateKernel(stage.get("patch_embed_2d.proj.weight"), 2), "from 2-D");
      assertThat(zero(again.get("blocks.0.temporal_fc.weight"))).isTrue();
      assertThat(zero(again.get("time_embed"))).isTrue();
    }
  }

  @Test
  void upstreamImageModeKeepsTrainedTemporalParts() {
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      VisionTransformer model = VisionTransformer.create(model(",\"image_temporal\":\"upstream\""), m);
      Map<String, TensorData> stage = new LinkedHashMap<>(StateDictBinder.snapshot(model));
      Random r = new Random(9);
      stage.put("blocks.1.temporal_fc.weight", rand(r, C, C));
      stage.put("time_embed", rand(r, 1, 4, C));
      StateDict again = model.inflate(new StateDict(stage, "stage"));
      for (String k : stage.keySet()) {
        assertSame(again.get(k), stage.get(k), k);
      }
    }
  }

  @Test
  void loadingAdaptsTimeEmbedAndDropsTheHead() {
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      VisionTransformer eight = VisionTransformer.create(model(",\"num_frames\":8"), m);
      Map<String, TensorData> tsf = new LinkedHashMap<>();
      VisionTransformer four = VisionTransformer.create(model(""), m);
      Tensors.randomise(four.namedParameters().get("time_embed"), m, 0.5);
      StateDictBinder.snapshot(four).forEach((k, v) -> tsf.put("model." + k, v));
      tsf.put("model.head.weight", rand(new Random(1), 400, C));
      tsf.put("model.head.bias", rand(new Random(1), 400));
      TimeSformerWeights.bind(eight, new StateDict(tsf, "k400.pyth"));
      float[] te4 = tsf.get("model.time_embed").toFloats();
      float[] te8 = eight.namedParameters().get("time_embed").array().toFloatArray();
      for (int t = 0; t < 8; t++) {
        for (int c = 0; c < C; c++) {
          assertThat(te8[t * C + c]).isEqualTo(te4[(t / 2) * C + c]);
        }
      }
      assertThat(eight.hasHead()).isFalse();
    }
  }
}
