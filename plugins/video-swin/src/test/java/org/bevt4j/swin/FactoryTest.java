package org.bevt4j.swin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.bevt4j.testkit.TestBuildContext;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDictBinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factories, built from the plugin's own reference.conf, and the settings validation. */
class FactoryTest {
  static Config pluginReference() throws Exception {
    for (URL u : Collections.list(FactoryTest.class.getClassLoader().getResources("reference.conf"))) {
      Config c = ConfigFactory.parseURL(u);
      if (c.hasPath(SwinSettings.PATH)) {
        return c;
      }
    }
    throw new AssertionError("no reference.conf with " + SwinSettings.PATH);
  }

  static Config defaults() throws Exception {
    return pluginReference().getConfig(SwinSettings.PATH);
  }

  @Test
  void referenceConfHoldsOnlyTheVideoSwinSubtree() throws Exception {
    Config c = pluginReference();
    assertThat(c.root().keySet()).containsExactly("bevt");
    assertThat(c.getConfig("bevt").root().keySet()).containsExactly("model");
    assertThat(c.getConfig("bevt.model").root().keySet()).containsExactly("backbone");
    assertThat(c.getConfig("bevt.model.backbone").root().keySet()).containsExactly("video-swin");
    assertThat(defaults().root().keySet()).containsExactlyInAnyOrderElementsOf(SwinSettings.KEYS);
  }

  @Test
  void factoryBuildsTheDefaultBevtSwinBase() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      TestBuildContext ctx = TestBuildContext.of(m);
      Backbone b = new VideoSwinBackboneFactory().create(defaults(), ctx);
      SwinTransformer3D swin = (SwinTransformer3D) b;
      assertThat(swin.config()).isEqualTo(SwinPresets.get("bevt-base").build());
      assertThat(swin.parameterCount() / 1e6).isCloseTo(101.28, within(0.01));
      assertThat(b.numFeatures()).isEqualTo(1024);
      assertThat(b.supportsImages()).isTrue();
      // BEVT recipe grids: 16x224x224 clips -> 8x14x14 masks -> 16x14x14 targets; images 14x14
      TokenGrid video = b.maskGrid(StreamKind.VIDEO, 16, 224, 224);
      TokenGrid image = b.maskGrid(StreamKind.IMAGE, 1, 224, 224);
      assertThat(video).isEqualTo(new TokenGrid(8, 14, 14));
      assertThat(image).isEqualTo(TokenGrid.image(14, 14));
      TestBuildContext withBackbone = ctx.withBackbone(b);
      Decoder vd = new BevtSwinVideoDecoderFactory().create(ConfigFactory.empty(), withBackbone);
      Decoder id = new BevtSwinImageDecoderFactory().create(ConfigFactory.empty(), withBackbone);
      assertThat(vd.targetGrid(video)).isEqualTo(new TokenGrid(16, 14, 14));
      assertThat(id.targetGrid(image)).isEqualTo(TokenGrid.image(14, 14));
      assertThat(vd.featureDim()).isEqualTo(1024);
      assertThat(vd.namedParameters()).isEmpty();
      assertThat(b.defaultDecoder(StreamKind.VIDEO)).isEqualTo(new BevtSwinVideoDecoderFactory().name());
      assertThat(b.defaultDecoder(StreamKind.IMAGE)).isEqualTo(new BevtSwinImageDecoderFactory().name());
      assertThat(new VideoSwinBackboneFactory().name()).isEqualTo("video-swin");
    }
  }

  @Test
  void factoryLoadsWeightsFromTheRootConfig(@TempDir Path dir) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Config tiny =
          ConfigFactory.parseString("preset = null, embed-dim = 8, depths = [2, 2], num-heads = [1, 2], window-size = [2, 2, 2],"
                  + " patch-size = [2, 4, 4], bevt = true")
              .withFallback(defaults());
      SwinTransformer3D source = SwinModels.fromSettings(tiny, TestBuildContext.of(m));
      Path file = dir.resolve("w.safetensors");
      Map<String, org.bevt4j.io.TensorData> prefixed = new java.util.LinkedHashMap<>();
      StateDictBinder.snapshot(source).forEach((k, v) -> prefixed.put("backbone." + k, v));
      SafeTensors.write(file, prefixed, Map.of());
      Config root = ConfigFactory.parseMap(Map.of(SwinModels.WEIGHTS_KEY, "w.safetensors"));
      Backbone b = new VideoSwinBackboneFactory().create(tiny, TestBuildContext.of(m).withRootConfig(root).withBaseDir(dir));
      float[] want = source.namedParameters().get("layers.1.blocks.1.attn.relative_position_bias_table").array().toFloatArray();
      assertThat(((SwinTransformer3D) b).namedParameters().get("layers.1.blocks.1.attn.relative_position_bias_table").array().toFloatArray())
          .containsExactly(want);
    }
  }

  @Test
  void attentionModeIsSelectableAndReachesEveryBlock() throws Exception {
    Config d = defaults();
    assertThat(SwinSettings.from(d).attention()).isEqualTo(org.bevt4j.nn.fused.Attention.Mode.COMPOSITE);
    Config fused = ConfigFactory.parseString("preset = null, embed-dim = 8, depths = [1, 1], num-heads = [1, 2], "
        + "window-size = [2, 2, 2], attention = fused").withFallback(d);
    assertThat(SwinSettings.from(fused).attention()).isEqualTo(org.bevt4j.nn.fused.Attention.Mode.FUSED);
    try (NDManager m = NDManager.newBaseManager()) {
      SwinTransformer3D swin = (SwinTransformer3D) new VideoSwinBackboneFactory().create(fused, TestBuildContext.of(m));
      assertThat(swin.attentionMode()).isEqualTo(org.bevt4j.nn.fused.Attention.Mode.FUSED);
      assertThat(swin.stages()).flatMap(st -> st.blocks()).allSatisfy(
          blk -> assertThat(blk.attn().mode()).isEqualTo(org.bevt4j.nn.fused.Attention.Mode.FUSED));
    }
    assertThatThrownBy(() -> SwinSettings.from(ConfigFactory.parseString("attention = flash").withFallback(d)))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("video-swin.attention")
        .hasMessageContaining("flash")
        .hasMessageContaining("composite, fused");
  }

  @Test
  void settingsErrorsNameKeyValueAndConstraint() throws Exception {
    Config d = defaults();
    assertThatThrownBy(() -> SwinSettings.from(ConfigFactory.parseString("embed-dimm = 96").withFallback(d)))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("bevt.model.backbone.video-swin.embed-dimm")
        .hasMessageContaining("did you mean \"embed-dim\"");
    assertThatThrownBy(() -> SwinSettings.from(ConfigFactory.parseString("num-heads = [4, 8, 15, 32]").withFallback(d)))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("video-swin.num-heads")
        .hasMessageContaining("not divisible by 15");
    assertThatThrownBy(() -> SwinSettings.from(ConfigFactory.parseString("preset = bevt-bas").withFallback(d)))
        .hasMessageContaining("did you mean \"bevt-base\"");
    assertThatThrownBy(() -> SwinSettings.from(ConfigFactory.parseString("window-size = [8, 7]").withFallback(d)))
        .hasMessageContaining("video-swin.window-size")
        .hasMessageContaining("expected 3 values");
    assertThatThrownBy(() -> SwinSettings.from(ConfigFactory.parseString("drop-path-rate = 1.5").withFallback(d)))
        .hasMessageContaining("drop-path-rate")
        .hasMessageContaining("[0, 1)");
    SwinSettings s = SwinSettings.from(ConfigFactory.parseString("preset = tiny, frozen-stages = 2, pretrained-window-size = [8, 7, 7]").withFallback(d));
    assertThat(s.model().embedDim()).isEqualTo(96);
    assertThat(s.model().frozenStages()).isEqualTo(2);
    assertThat(s.model().bevt()).isFalse();
    assertThat(s.weights().pretrainedWindow()).containsExactly(8, 7, 7);
  }

  @Test
  void decoderFactoriesCheckTheBackbone() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      SwinTransformer3D plain = new SwinTransformer3D(TinyConfigs.bevt().bevt(false).build());
      plain.initialize(m);
      TestBuildContext ctx = TestBuildContext.of(m).withBackbone(plain);
      assertThatThrownBy(() -> new BevtSwinVideoDecoderFactory().create(ConfigFactory.empty(), ctx))
          .isInstanceOf(BevtConfigException.class)
          .hasMessageContaining("bevt.model.decoder.video.type")
          .hasMessageContaining("BEVT mode");
      SwinTransformer3D bevt = new SwinTransformer3D(TinyConfigs.bevt().build());
      bevt.initialize(m);
      assertThatThrownBy(
              () -> new BevtSwinImageDecoderFactory().create(ConfigFactory.parseString("depth = 2"), ctx.withBackbone(bevt)))
          .hasMessageContaining("bevt.model.decoder.image.bevt-swin-image.depth")
          .hasMessageContaining("has no settings");
    }
  }

  @Test
  void upstreamNamesBuildTheSameConfig() {
    Map<String, Object> upstream =
        Map.of("patch_size", List.of(2, 4, 4), "embed_dim", 8, "depths", List.of(2, 2), "num_heads", List.of(1, 2),
            "window_size", List.of(2, 2, 2), "mlp_ratio", 2.0, "drop_path_rate", 0.0, "patch_norm", true);
    assertThat(SwinConfig.fromUpstream(upstream, true, java.util.Set.of())).isEqualTo(TinyConfigs.bevt().build());
    assertThatThrownBy(() -> SwinConfig.fromUpstream(Map.of("embed_dimm", 8), false, java.util.Set.of()))
        .hasMessageContaining("embed_dimm")
        .hasMessageContaining("known");
  }
}
