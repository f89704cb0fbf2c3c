package org.example.bevt4j.vitlite;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.testkit.PluginReference;
import org.bevt4j.testkit.PluginSmokeHarness;
import org.bevt4j.testkit.SmokeReport;
import org.junit.jupiter.api.Test;

/**
 * The testkit's smoke harness on the plugin: both streams with masks, the decoders found through
 * this plugin's META-INF/extensions.idx, target grids equal to a per-frame tokenizer grid, and
 * gradients into every trainable parameter.
 */
class VitLiteSmokeTest {
  /** 4-frame 32x32 clips, 8 px patches, tubelets of 2: mask grid 2x4x4, tokenizer grid 4x4x4. */
  static final String TINY =
      "img-size = 32, num-frames = 4, patch-size = 8, tubelet-size = 2, embed-dim = 16, depth = 2, num-heads = 2,"
          + " drop-path-rate = 0";

  @Test
  void bothStreamsDecodeOnTheTokenizerGridAndEveryParameterLearns() {
    SmokeReport r =
        PluginSmokeHarness.forBackbone(new VitLiteBackboneFactory())
            .setSettings(PluginReference.of(VitLiteBackboneFactory.class).settings(VitLiteSettings.PATH, TINY))
            .optVideoInput(2, 4, 32, 32)
            .optImageInput(32, 32)
            .optRequireImageStream(true)
            .optExpectedTargetGrid(StreamKind.VIDEO, new TokenGrid(4, 4, 4))
            .optExpectedTargetGrid(StreamKind.IMAGE, TokenGrid.image(4, 4))
            .run();

    assertThat(r.stream(StreamKind.VIDEO).maskGrid()).isEqualTo(new TokenGrid(2, 4, 4));
    assertThat(r.stream(StreamKind.VIDEO).decoded()).isEqualTo(new Shape(2, 64, 16));
    assertThat(r.stream(StreamKind.IMAGE).decoded()).isEqualTo(new Shape(2, 16, 16));
    assertThat(r.gradientNorms())
        .containsKeys(
            "backbone.patch_embed.proj.weight",
            "backbone.mask_token",
            "backbone.time_embed",
            "backbone.blocks.1.attn.qkv.weight",
            "decoder.video.video_decoder.fc.weight",
            "decoder.image.image_decoder.norm.bias");
  }

  @Test
  void theDefaultsOfReferenceConfBuildTheDocumentedModel() {
    VitLiteSettings s = VitLiteSettings.from(PluginReference.of(VitLiteBackboneFactory.class).settings(VitLiteSettings.PATH, ""));
    assertThat(s.gridSide()).isEqualTo(14);
    assertThat(s.temporalTokens()).isEqualTo(8);
    assertThat(s.embedDim()).isEqualTo(192);
  }
}
