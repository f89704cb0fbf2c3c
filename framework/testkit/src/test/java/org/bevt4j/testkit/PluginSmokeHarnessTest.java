package org.bevt4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.junit.jupiter.api.Test;

class PluginSmokeHarnessTest {
  private static Config settings(String overrides) {
    return PluginReference.of(TinyFactories.Backbones.class).settings("bevt.model.backbone.tiny", overrides);
  }

  private static PluginSmokeHarness harness(String overrides) {
    return PluginSmokeHarness.forBackbone(new TinyFactories.Backbones())
        .setSettings(settings(overrides))
        .optVideoInput(2, 3, 16, 24)
        .optImageInput(16, 16);
  }

  @Test
  void aSoundBackboneRunsBothStreamsWithDecodersFoundInTheIndex() {
    SmokeReport r =
        harness("")
            .optExpectedTargetGrid(StreamKind.VIDEO, new TokenGrid(3, 2, 3))
            .optExpectedTargetGrid(StreamKind.IMAGE, TokenGrid.image(2, 2))
            .run();
    assertThat(r.backbone()).isEqualTo("tiny");
    assertThat(r.streams()).extracting(SmokeReport.StreamResult::stream).containsExactly(StreamKind.VIDEO, StreamKind.IMAGE);
    assertThat(r.stream(StreamKind.VIDEO).decoded()).isEqualTo(new Shape(2, 18, 8));
    assertThat(r.stream(StreamKind.IMAGE).decoded()).isEqualTo(new Shape(2, 4, 8));
    assertThat(r.stream(StreamKind.VIDEO).maskEffect()).isPositive();
    // backbone: embed (w, b), mix (w, b), mask_token; two decoders: fc (w, b) each
    assertThat(r.gradientNorms()).hasSize(9).allSatisfy((k, v) -> assertThat(v).as(k).isPositive());
    assertThat(r.gradientNorms()).containsKeys("backbone.mask_token", "decoder.video.fc.weight", "decoder.image.fc.bias");
  }

  @Test
  void anUnusedParameterIsNamed() {
    assertThatThrownBy(() -> harness("unused-param = true").run())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no gradient reached 2 of")
        .hasMessageContaining("backbone.unused.weight")
        .hasMessageContaining("backbone.unused.bias");
  }

  @Test
  void allowedParametersMayLackAGradient() {
    SmokeReport r = harness("unused-param = true").optAllowNoGradient(n -> n.startsWith("backbone.unused.")).run();
    assertThat(r.gradientNorms().get("backbone.unused.weight")).isZero();
  }

  @Test
  void aBackboneIgnoringTheMaskFails() {
    assertThatThrownBy(() -> harness("ignore-mask = true").run())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("video stream: masking does not change the output");
  }

  @Test
  void aDecoderGridThatDiffersFromTheTokenizerGridFails() {
    assertThatThrownBy(
            () ->
                harness("")
                    .optDecoder(StreamKind.VIDEO, new TinyFactories.VideoDecoders(), ConfigFactory.parseString("wrong-grid = true"))
                    .optExpectedTargetGrid(StreamKind.VIDEO, new TokenGrid(3, 2, 3))
                    .run())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("target grid 6x2x3")
        .hasMessageContaining("tokenizer grid 3x2x3");
  }

  @Test
  void aDecoderWhoseOutputDoesNotMatchItsTargetGridFails() {
    assertThatThrownBy(
            () -> harness("").optDecoder(StreamKind.VIDEO, new TinyFactories.VideoDecoders(), ConfigFactory.parseString("wrong-grid = true")).run())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("video stream: decoder output (2, 18, 8), expected (2, 36, 8)");
  }

  @Test
  void aDecoderForTheWrongStreamIsRefused() {
    assertThatThrownBy(() -> harness("").optDecoder(StreamKind.VIDEO, new TinyFactories.ImageDecoders(), null).run())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("serves the image stream, not video");
  }

  @Test
  void theImageStreamCanBeSkipped() {
    SmokeReport r = harness("").optImageStream(false).run();
    assertThat(r.streams()).extracting(SmokeReport.StreamResult::stream).containsExactly(StreamKind.VIDEO);
  }

  @Test
  void referenceSettingsApplyOverridesAndRejectUnknownSubtrees() {
    assertThat(settings("ignore-mask = true").getBoolean("ignore-mask")).isTrue();
    assertThat(settings("").getBoolean("unused-param")).isFalse();
    assertThatThrownBy(() -> PluginReference.of(TinyFactories.Backbones.class).settings("bevt.model.backbone.nope", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no subtree bevt.model.backbone.nope");
  }

  @Test
  void extensionIndexLookupNamesTheKnownFactories() {
    ClassLoader cl = getClass().getClassLoader();
    assertThat(PluginExtensions.named(org.bevt4j.api.DecoderFactory.class, "tiny-image", cl)).isInstanceOf(TinyFactories.ImageDecoders.class);
    assertThatThrownBy(() -> PluginExtensions.named(org.bevt4j.api.DecoderFactory.class, "tiny-audio", cl))
        .hasMessageContaining("no @Extension DecoderFactory named \"tiny-audio\"")
        .hasMessageContaining("tiny-video");
  }
}
