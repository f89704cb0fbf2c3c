package org.bevt4j.timesformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bevt4j.testkit.TestBuildContext;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.bevt4j.io.WeightFileException;
import org.bevt4j.nn.Param;
import org.bevt4j.testkit.ReferenceFixture;
import org.junit.jupiter.api.Test;

class FactoryTest {
  /** The plugin's own reference.conf (not merged with other modules' files). */
  static Config referenceConf() {
    URL classes = TimeSformerBackboneFactory.class.getProtectionDomain().getCodeSource().getLocation();
    try {
      return ConfigFactory.parseFile(Paths.get(classes.toURI()).resolve("reference.conf").toFile());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The timesformer subtree of reference.conf with HOCON overrides on top. */
  static Config subtree(String overrides) {
    return ConfigFactory.parseString(overrides)
        .withFallback(referenceConf().getConfig(TimeSformerSettings.PATH))
        .resolve();
  }

  static TimeSformerSettings settings(String overrides) {
    return TimeSformerSettings.from(subtree(overrides));
  }

  @Test
  void referenceConfHoldsOnlyItsSubtree() {
    Config ref = referenceConf();
    assertThat(ref.root().keySet()).containsExactly("bevt");
    assertThat(ref.getConfig("bevt").root().keySet()).containsExactly("model");
    assertThat(ref.getConfig("bevt.model").root().keySet()).containsExactly("backbone");
    assertThat(ref.getConfig("bevt.model.backbone").root().keySet()).containsExactly("timesformer");
    assertThat(ref.getConfig(TimeSformerSettings.PATH).root().keySet()).containsExactlyInAnyOrderElementsOf(TimeSformerSettings.KEYS);
  }

  @Test
  void defaultsAreTheBevtPresetOfViTB16() {
    TimeSformerSettings s = settings("");
    TimeSformerConfig c = s.model();
    assertThat(s.preset()).isEqualTo(Preset.BEVT);
    assertThat(c.imgSize()).isEqualTo(224);
    assertThat(c.numFrames()).isEqualTo(16);
    assertThat(c.patchSize()).isEqualTo(16);
    assertThat(c.embedDim()).isEqualTo(768);
    assertThat(c.depth()).isEqualTo(12);
    assertThat(c.numHeads()).isEqualTo(12);
    assertThat(c.qkvBias()).isTrue();
    assertThat(c.layerNormEps()).isEqualTo(1e-6);
    assertThat(c.dropPathRate()).isEqualTo(0.1);
    assertThat(c.attentionType()).isEqualTo(AttentionType.DIVIDED_SPACE_TIME);
    assertThat(c.numClasses()).isZero();
    assertThat(c.bevt()).isEqualTo(BevtOptions.defaults());
    VisionTransformer m = new VisionTransformer(c);
    // BEVT grids: 8x14x14 video masks, 16x14x14 targets, 14x14 images
    TokenGrid vm = m.maskGrid(StreamKind.VIDEO, 16, 224, 224);
    assertThat(vm).isEqualTo(new TokenGrid(8, 14, 14));
    assertThat(m.maskGrid(StreamKind.IMAGE, 1, 224, 224)).isEqualTo(TokenGrid.image(14, 14));
    assertThat(new TimeSformerDecoder(StreamKind.VIDEO, c).targetGrid(vm)).isEqualTo(new TokenGrid(16, 14, 14));
    assertThat(new TimeSformerDecoder(StreamKind.VIDEO, c).isIdentity()).isTrue();
    assertThat(m.defaultDecoder(StreamKind.IMAGE)).isEqualTo("timesformer-image");
    assertThat(m.defaultDecoder(StreamKind.VIDEO)).isEqualTo("timesformer-video");
  }

  @Test
  void presetsAndParameterCount() {
    assertThat(settings("preset = base").model()).extracting(TimeSformerConfig::imgSize, TimeSformerConfig::numFrames).containsExactly(224, 8);
    assertThat(settings("preset = hr").model()).extracting(TimeSformerConfig::imgSize, TimeSformerConfig::numFrames).containsExactly(448, 16);
    assertThat(settings("preset = large").model()).extracting(TimeSformerConfig::imgSize, TimeSformerConfig::numFrames).containsExactly(224, 96);
    assertThat(settings("preset = hr, num-frames = 8").model().numFrames()).isEqualTo(8);
    // reference-models §5.1: TimeSformer base with 400 classes has 121.57 M parameters
    long n = new VisionTransformer(settings("preset = base, num-classes = 400, mask-token = false").model()).parameterCount();
    assertThat(n).isBetween(121_565_000L, 121_575_000L);
  }

  @Test
  void attentionModeIsSelectableAndReachesEveryAttention() {
    // fused is the configured default (measured faster); the programmatic default stays the reference
    assertThat(settings("").attention()).isEqualTo(org.bevt4j.nn.fused.Attention.Mode.FUSED);
    assertThat(settings("attention = composite").attention()).isEqualTo(org.bevt4j.nn.fused.Attention.Mode.COMPOSITE);
    assertThat(new VisionTransformer(settings("").model()).attentionMode()).isEqualTo(org.bevt4j.nn.fused.Attention.Mode.COMPOSITE);
    TimeSformerSettings s = settings("attention = fused, embed-dim = 32, depth = 2, num-heads = 4, img-size = 32");
    assertThat(s.attention()).isEqualTo(org.bevt4j.nn.fused.Attention.Mode.FUSED);
    VisionTransformer m = new VisionTransformer(s.model(), s.attention());
    assertThat(m.attentionMode()).isEqualTo(org.bevt4j.nn.fused.Attention.Mode.FUSED);
    assertThat(m.blocks()).allSatisfy(b -> assertThat(b.attn().mode()).isEqualTo(org.bevt4j.nn.fused.Attention.Mode.FUSED));
    assertThatThrownBy(() -> settings("attention = flash"))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("timesformer.attention")
        .hasMessageContaining("flash")
        .hasMessageContaining("composite, fused");
  }

  @Test
  void configErrorsNameKeyValueAndConstraint() {
    assertThatThrownBy(() -> settings("atention-type = space_only"))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("bevt.model.backbone.timesformer.atention-type")
        .hasMessageContaining("attention-type");
    assertThatThrownBy(() -> settings("attention-type = divided"))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("attention-type")
        .hasMessageContaining("divided")
        .hasMessageContaining("divided_space_time");
    assertThatThrownBy(() -> settings("embed-dim = 100, num-heads = 12"))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("bevt.model.backbone.timesformer.num-heads")
        .hasMessageContaining("100");
    assertThatThrownBy(() -> settings("tubelet-size = 3"))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("tubelet-size")
        .hasMessageContaining("16");
    assertThatThrownBy(() -> settings("mask-patch-size = 12"))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("mask-patch-size");
    assertThatThrownBy(() -> settings("patch-embed-2d = own"))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("patch-embed-2d")
        .hasMessageContaining("separate");
    assertThatThrownBy(() -> settings("drop-path-rate = 1.5"))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("drop-path-rate")
        .hasMessageContaining("1.5");
  }

  @Test
  void factoryBuildsAndLoadsWeights() {
    ReferenceFixture f = ReferenceFixture.allFor("timesformer").get(0);
    Path weights = f.dir().resolve("weights.safetensors");
    Config root = ConfigFactory.parseMap(Map.of("bevt.model.backbone.weights", weights.getFileName().toString()));
    try (NDManager m = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
      TimeSformerConfig fixture = UpstreamConfig.parse(f.constructorConfig().toString());
      String overrides =
          String.format(
              java.util.Locale.ROOT,
              "img-size = %d, patch-size = %d, embed-dim = %d, depth = %d, num-heads = %d, num-frames = %d, "
                  + "mlp-ratio = %s, qkv-bias = %s, attention-type = %s, mask-patch-size = %d",
              fixture.imgSize(), fixture.patchSize(), fixture.embedDim(), fixture.depth(), fixture.numHeads(),
              fixture.numFrames(), fixture.mlpRatio(), fixture.qkvBias(), fixture.attentionType().upstreamName(),
              fixture.patchSize());
      Backbone b = new TimeSformerBackboneFactory().create(subtree(overrides), TestBuildContext.of(m).withRootConfig(root).withBaseDir(f.dir()));
      assertThat(b).isInstanceOf(VisionTransformer.class);
      VisionTransformer vt = (VisionTransformer) b;
      StateDict ref = f.weights();
      Map<String, Param> params = vt.namedParameters();
      assertThat(params).containsKey("mask_token").doesNotContainKey("head.weight");
      for (String k : ref.keys()) {
        if (params.containsKey(k)) {
          assertThat(TensorData.of(params.get(k).array()).bitEquals(ref.get(k))).as(k).isTrue();
        } else {
          assertThat(k).startsWith("head.");
        }
      }
      // decoders through their factories
      TestBuildContext ctx = TestBuildContext.of(m).withRootConfig(root).withBaseDir(f.dir()).withBackbone(b);
      Decoder img = new TimeSformerImageDecoderFactory().create(ConfigFactory.empty(), ctx);
      Decoder vid = new TimeSformerVideoDecoderFactory().create(ConfigFactory.empty(), ctx);
      assertThat(img.featureDim()).isEqualTo(fixture.embedDim());
      assertThat(((TimeSformerDecoder) vid).stream()).isEqualTo(StreamKind.VIDEO);
      assertThatThrownBy(() -> new TimeSformerVideoDecoderFactory().create(ConfigFactory.empty(), TestBuildContext.of(m).withRootConfig(root).withBaseDir(f.dir())))
          .isInstanceOf(BevtConfigException.class)
          .hasMessageContaining("bevt.model.decoder.video.type");
    }
  }

  @Test
  void wrongShapesAreRefusedWithKeyExpectedFound() {
    ReferenceFixture f = ReferenceFixture.allFor("timesformer").get(0);
    try (NDManager m = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
      TimeSformerConfig c = UpstreamConfig.parse(f.constructorConfig().toString());
      VisionTransformer model = VisionTransformer.create(c, m);
      StateDict w = f.weights();
      TensorData pw = w.get("patch_embed.proj.weight");
      long[] s = pw.shape();
      TensorData swapped = new TensorData(pw.dtype(), new long[] {s[1], s[0], s[2], s[3]}, pw.bytes());
      StateDict bad = w.with(Map.of("patch_embed.proj.weight", swapped));
      assertThatThrownBy(() -> TimeSformerWeights.bind(model, bad))
          .isInstanceOf(WeightFileException.class)
          .hasMessageContaining(
              "patch_embed.proj.weight: expected [" + s[0] + ", " + s[1] + ", " + s[2] + ", " + s[3] + "], found ["
                  + s[1] + ", " + s[0] + ", " + s[2] + ", " + s[3] + "]");
      StateDict partial = w.without(k -> k.startsWith("blocks.") && k.endsWith("mlp.fc1.weight"));
      assertThatThrownBy(() -> TimeSformerWeights.bind(model, partial))
          .isInstanceOf(WeightFileException.class)
          .hasMessageContaining("missing keys")
          .hasMessageContaining("blocks.0.mlp.fc1.weight");
    }
  }

  @Test
  void loadsTheTimeSformerPythCheckpoint() {
    Path pyth = Paths.get(System.getProperty("bevt4j.checkpoints.dir", "../../fixtures/checkpoints")).resolve("timesformer.pyth");
    ReferenceFixture f = ReferenceFixture.open("timesformer");
    StateDict loaded;
    loaded = StateDict.load(pyth);
    try (NDManager m = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
      VisionTransformer model = VisionTransformer.create(UpstreamConfig.parse(f.constructorConfig().toString()), m);
      TimeSformerWeights.bind(model, loaded);
      StateDict ref = f.weights();
      for (Map.Entry<String, Param> e : model.namedParameters().entrySet()) {
        assertThat(TensorData.of(e.getValue().array()).bitEquals(ref.get(e.getKey()))).as(e.getKey()).isTrue();
      }
    }
  }
}
