package org.bevt4j.timesformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Param;
import org.junit.jupiter.api.Test;

/** Behaviour of both streams that the fixtures do not cover: layouts, variants, image mode, masks. */
class StreamsTest {
  static final double EXACT = 1e-5;

  static TimeSformerConfig tiny(AttentionType type, String extra) {
    return TrainingTest.tiny(
        ",\"patch_size\":8,\"embed_dim\":16,\"num_heads\":2,\"attention_type\":\"" + type.upstreamName() + "\"" + extra);
  }

  static NDArray tokens(BackboneOutput out) {
    return out.get(VisionTransformer.TOKENS).features();
  }

  @Test
  void videoTokensAreInTimeMajorOrderAfterNorm() {
    for (AttentionType type : new AttentionType[] {AttentionType.DIVIDED_SPACE_TIME, AttentionType.JOINT_SPACE_TIME}) {
      try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
        VisionTransformer model = VisionTransformer.create(tiny(type, ""), m);
        Tensors.randomise(model.namedParameters().get("time_embed"), m, 0.5);
        NDArray video = Tensors.randn(m, 1, 2, 3, 4, 32, 24);
        Map<String, NDArray> taps = new HashMap<>();
        NDArray features = model.forwardTraced(video, null, false, taps::put);
        BackboneOutput out = model.forwardVideo(video, null, false);
        FeatureMap fm = out.get(VisionTransformer.TOKENS);
        assertThat(fm.grid()).isEqualTo(new TokenGrid(4, 4, 3));
        assertThat(fm.prefixTokens()).isEqualTo(1);
        assertThat(fm.tokens()).isTrue();
        assertThat(out.stream()).isEqualTo(StreamKind.VIDEO);
        NDArray tok = fm.features();
        assertThat(tok.getShape()).isEqualTo(new Shape(2, 1 + 4 * 12, 16));
        assertThat(Tensors.relToMax(tok.get(":, 0, :"), features)).isLessThan(EXACT);
        float[] upstream = taps.get("norm").toFloatArray(); // (B, 1 + N*T, C), index 1 + n*T + t
        float[] ours = tok.toFloatArray(); // (B, 1 + T*N, C), index 1 + t*N + n
        for (int b = 0; b < 2; b++) {
          for (int t = 0; t < 4; t++) {
            for (int n = 0; n < 12; n++) {
              for (int ch = 0; ch < 16; ch++) {
                float a = ours[(b * 49 + 1 + t * 12 + n) * 16 + ch];
                float e = upstream[(b * 49 + 1 + n * 4 + t) * 16 + ch];
                assertThat(a).isCloseTo(e, org.assertj.core.data.Offset.offset(1e-5f));
              }
            }
          }
        }
      }
    }
  }

  @Test
  void spaceOnlyTreatsFramesIndependentlyAndAveragesBeforeNorm() {
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      TimeSformerConfig c = tiny(AttentionType.SPACE_ONLY, "");
      VisionTransformer model = VisionTransformer.create(c, m);
      assertThat(model.namedParameters()).doesNotContainKey("time_embed").doesNotContainKey("blocks.0.temporal_fc.weight");
      NDArray video = Tensors.randn(m, 2, 1, 3, 3, 32, 32);
      Map<String, NDArray> taps = new HashMap<>();
      model.forwardTraced(video, null, false, taps::put);
      NDArray clipTokens = tokens(model.forwardVideo(video, null, false));
      NDArray last = taps.get("blocks.1"); // (B*T, 1+N, C)
      assertThat(last.getShape()).isEqualTo(new Shape(3, 17, 16));
      NDArray sum = null;
      for (int f = 0; f < 3; f++) {
        NDArray frame = video.get(":, :, " + f + ":" + (f + 1) + ", :, :");
        Map<String, NDArray> one = new HashMap<>();
        model.forwardTraced(frame, null, false, one::put);
        assertThat(Tensors.relToMax(last.get(f + ":" + (f + 1)), one.get("blocks.1"))).isLessThan(EXACT);
        NDArray frameTokens = tokens(model.forwardVideo(frame, null, false));
        assertThat(Tensors.relToMax(clipTokens.get(":, " + (1 + f * 16) + ":" + (1 + (f + 1) * 16) + ", :"), frameTokens.get(":, 1:, :")))
            .isLessThan(EXACT);
        sum = sum == null ? one.get("blocks.1") : sum.add(one.get("blocks.1"));
      }
      LayerNorm ln = new LayerNorm(16, c.layerNormEps());
      ln.initialize(m);
      ln.namedParameters().get("weight").copyFrom(model.namedParameters().get("norm.weight").array());
      ln.namedParameters().get("bias").copyFrom(model.namedParameters().get("norm.bias").array());
      NDArray expected = ln.forward(sum.div(3f));
      assertThat(Tensors.relToMax(taps.get("norm"), expected)).isLessThan(EXACT);
      assertThat(Tensors.relToMax(clipTokens.get(":, 0, :"), expected.get(":, 0, :"))).isLessThan(EXACT);
    }
  }

  @Test
  void identicalFramesReduceToTheImagePathAtInitialisation() {
    for (AttentionType type : AttentionType.values()) {
      try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
        VisionTransformer model = VisionTransformer.create(tiny(type, ""), m);
        NDArray image = Tensors.randn(m, 3, 2, 3, 32, 32);
        // Joint attention sees the single cls token once but every patch T times, so only a 1-frame
        // clip reduces to the ViT; divided (temporal_fc = 0) and space-only reduce for any T.
        int frames = type == AttentionType.JOINT_SPACE_TIME ? 1 : 4;
        NDArray clip = image.expandDims(2).repeat(2, frames);
        NDArray imageTokens = tokens(model.forwardImage(image, null, false));
        NDArray clipTokens = tokens(model.forwardVideo(clip, null, false));
        // temporal_fc = 0 and time_embed = 0 at init: each frame of a static clip is the ViT image
        for (int f = 0; f < frames; f++) {
          assertThat(Tensors.relToMax(clipTokens.get(":, " + (1 + f * 16) + ":" + (1 + (f + 1) * 16) + ", :"), imageTokens.get(":, 1:, :")))
              .as(type + " frame " + f)
              .isLessThan(EXACT);
        }
        assertThat(Tensors.relToMax(clipTokens.get(":, 0, :"), imageTokens.get(":, 0, :"))).as(type.toString()).isLessThan(EXACT);
        if (type != AttentionType.SPACE_ONLY) {
          Tensors.randomise(model.namedParameters().get("time_embed"), m, 0.5);
          assertThat(Tensors.relToMax(tokens(model.forwardVideo(clip, null, false)), clipTokens)).as(type + " uses time_embed").isGreaterThan(1e-3);
        }
      }
    }
  }

  @Test
  void imageUpstreamModeIsTheVideoForwardOnOneFrame() {
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      VisionTransformer up = VisionTransformer.create(tiny(AttentionType.DIVIDED_SPACE_TIME, ",\"image_temporal\":\"upstream\""), m);
      VisionTransformer skip = VisionTransformer.create(tiny(AttentionType.DIVIDED_SPACE_TIME, ""), m);
      for (Map.Entry<String, Param> e : up.namedParameters().entrySet()) {
        if (e.getKey().contains("temporal_fc") || e.getKey().equals("time_embed")) {
          Tensors.randomise(e.getValue(), m, 0.3);
        }
      }
      StateDictBinder.bindStrict(skip, new org.bevt4j.io.StateDict(StateDictBinder.snapshot(up), "up"));
      NDArray image = Tensors.randn(m, 4, 2, 3, 32, 32);
      NDArray video1 = tokens(up.forwardVideo(image.expandDims(2), null, false));
      assertThat(Tensors.relToMax(tokens(up.forwardImage(image, null, false)), video1)).isLessThan(EXACT);
      // skip mode is the ViT path: no time_embed, no temporal branch, so it differs once those are non-zero
      assertThat(Tensors.relToMax(tokens(skip.forwardImage(image, null, false)), video1)).isGreaterThan(1e-3);
    }
  }

  @Test
  void masksReplaceEmbeddingsOnTheirCellsOnly() {
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      VisionTransformer model = VisionTransformer.create(tiny(AttentionType.DIVIDED_SPACE_TIME, ""), m);
      // patch 8, mask cell 16 px x 2 frames: a 4 x 32 x 32 clip has a 2 x 2 x 2 mask grid
      TokenGrid g = model.maskGrid(StreamKind.VIDEO, 4, 32, 32);
      assertThat(g).isEqualTo(new TokenGrid(2, 2, 2));
      NDArray video = Tensors.randn(m, 5, 1, 3, 4, 32, 32);
      NDArray none = m.zeros(new Shape(1, 2, 2, 2), ai.djl.ndarray.types.DataType.BOOLEAN);
      NDArray ref = tokens(model.forwardVideo(video, null, false));
      assertThat(Tensors.relToMax(tokens(model.forwardVideo(video, none, false)), ref)).isEqualTo(0);
      boolean[] cell = new boolean[8];
      cell[1] = true; // t = 0 (frames 0-1), h = 0 (rows 0-15), w = 1 (cols 16-31)
      NDArray mask = m.create(cell, new Shape(1, 2, 2, 2));
      NDArray masked = tokens(model.forwardVideo(video, mask, false));
      assertThat(Tensors.relToMax(masked, ref)).isGreaterThan(1e-4);
      NDArray inCell = perturb(video, "0:2, 0:16, 16:32");
      assertThat(Tensors.relToMax(tokens(model.forwardVideo(inCell, mask, false)), masked)).isLessThan(EXACT);
      NDArray otherFrames = perturb(video, "2:4, 0:16, 16:32");
      assertThat(Tensors.relToMax(tokens(model.forwardVideo(otherFrames, mask, false)), masked)).isGreaterThan(1e-4);
      NDArray otherCol = perturb(video, "0:2, 0:16, 8:16");
      assertThat(Tensors.relToMax(tokens(model.forwardVideo(otherCol, mask, false)), masked)).isGreaterThan(1e-4);
      NDArray all = m.ones(new Shape(1, 2, 2, 2), ai.djl.ndarray.types.DataType.BOOLEAN);
      NDArray other = Tensors.randn(m, 6, 1, 3, 4, 32, 32);
      assertThat(Tensors.relToMax(tokens(model.forwardVideo(other, all, false)), tokens(model.forwardVideo(video, all, false))))
          .isLessThan(EXACT);
      // images: 2 x 2 mask grid of 16-px cells
      assertThat(model.maskGrid(StreamKind.IMAGE, 1, 32, 32)).isEqualTo(TokenGrid.image(2, 2));
      NDArray image = Tensors.randn(m, 7, 1, 3, 32, 32);
      NDArray imask = m.create(new boolean[] {false, false, true, false}, new Shape(1, 2, 2));
      NDArray imasked = tokens(model.forwardImage(image, imask, false));
      NDArray moved = image.duplicate();
      moved.set(new ai.djl.ndarray.index.NDIndex(":, :, 16:32, 0:16"), 5f);
      assertThat(Tensors.relToMax(tokens(model.forwardImage(moved, imask, false)), imasked)).isLessThan(EXACT);
      NDArray moved2 = image.duplicate();
      moved2.set(new ai.djl.ndarray.index.NDIndex(":, :, 0:16, 0:16"), 5f);
      assertThat(Tensors.relToMax(tokens(model.forwardImage(moved2, imask, false)), imasked)).isGreaterThan(1e-4);
    }
  }

  private static NDArray perturb(NDArray video, String thw) {
    NDArray v = video.duplicate();
    v.set(new ai.djl.ndarray.index.NDIndex(":, :, " + thw), 3f);
    return v;
  }

  @Test
  void tubeletImagesAreStaticClips() {
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      PatchEmbed pe = new PatchEmbed(3, 16, 8, 2);
      pe.initialize(m);
      NDArray image = Tensors.randn(m, 8, 2, 3, 16, 24);
      PatchEmbed.Tokens a = pe.image(image);
      PatchEmbed.Tokens b = pe.video(image.expandDims(2).repeat(2, 2));
      assertThat(b.t()).isEqualTo(1);
      assertThat(a.h()).isEqualTo(2);
      assertThat(a.w()).isEqualTo(3);
      assertThat(Tensors.relToMax(a.x(), b.x())).isLessThan(EXACT);
      VisionTransformer model = VisionTransformer.create(tiny(AttentionType.DIVIDED_SPACE_TIME, ",\"tubelet_size\":2"), m);
      assertThat(model.namedParameters().get("patch_embed.proj.weight").shape()).isEqualTo(new Shape(16, 3, 2, 8, 8));
      assertThat(model.namedParameters().get("time_embed").shape()).isEqualTo(new Shape(1, 2, 16));
      FeatureMap fm = model.forwardVideo(Tensors.randn(m, 9, 1, 3, 4, 32, 32), null, false).get(VisionTransformer.TOKENS);
      assertThat(fm.grid()).isEqualTo(new TokenGrid(2, 4, 4));
    }
  }

  @Test
  void badInputsAreExplained() {
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      VisionTransformer model = VisionTransformer.create(tiny(AttentionType.DIVIDED_SPACE_TIME, ""), m);
      assertThatThrownBy(() -> model.maskGrid(StreamKind.VIDEO, 3, 32, 32)).hasMessageContaining("clip length 3").hasMessageContaining("mask-frames");
      assertThatThrownBy(() -> model.maskGrid(StreamKind.IMAGE, 1, 40, 32)).hasMessageContaining("40x32").hasMessageContaining("16 pixels");
      assertThatThrownBy(() -> model.forwardVideo(Tensors.randn(m, 1, 1, 3, 32, 32), null, false)).hasMessageContaining("(B, 3, T, H, W)");
      assertThatThrownBy(() -> model.forwardVideo(Tensors.randn(m, 1, 1, 3, 2, 32, 32), m.ones(new Shape(2, 1, 2, 2)), false))
          .hasMessageContaining("mask must be");
      VisionTransformer upstream = VisionTransformer.create(tiny(AttentionType.DIVIDED_SPACE_TIME, ",\"mask_token\":false"), m);
      assertThat(upstream.namedParameters()).doesNotContainKey("mask_token");
      assertThatThrownBy(() -> upstream.forwardImage(Tensors.randn(m, 1, 1, 3, 32, 32), m.ones(new Shape(1, 2, 2)), false))
          .hasMessageContaining("without mask_token");
    }
  }
}
