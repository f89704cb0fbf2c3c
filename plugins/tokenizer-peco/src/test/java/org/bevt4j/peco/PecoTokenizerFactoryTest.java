package org.bevt4j.peco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bevt4j.testkit.TestBuildContext;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.GroupNorm;
import org.bevt4j.testkit.ReferenceFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PecoTokenizerFactoryTest {
  /** Tiny overrides so the factory test runs in well under a second. */
  private static final String TINY =
      "ch = 8, ch-mult = [1, 2], num-res-blocks = 1, attn-resolutions = [4], resolution = 8, z-channels = 8,"
          + " embed-dim = 4, n-embed = 16, input-size = 8, groups = 4";

  private static Config ownReferenceConf() throws Exception {
    Path classes = Paths.get(PecoTokenizerFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path conf = classes.resolve("reference.conf");
    assertThat(conf).exists();
    return ConfigFactory.parseFile(conf.toFile());
  }

  @Test
  void referenceConfHoldsOnlyThePecoSubtreeWithTheDocumentedDefaults() throws Exception {
    Config ref = ownReferenceConf();
    assertThat(ref.root().keySet()).containsExactly("bevt");
    assertThat(ref.getConfig("bevt.model.tokenizer").root().keySet()).containsExactly("peco");
    PecoSettings s = PecoSettings.fromConfig(ref.getConfig(PecoSettings.PATH));
    assertThat(s).isEqualTo(PecoSettings.defaults());
    assertThat(s.encoder().downsampling()).isEqualTo(16);
    assertThat(s.gridSize()).isEqualTo(14);
    assertThat(s.nEmbed()).isEqualTo(8192);
    assertThat(s.pixelRange()).isEqualTo(PixelRange.MINUS_ONE_ONE);
  }

  @Test
  void defaultArchitecturePutsAttentionAtTheFourteenByFourteenLevel() {
    VqganModel model = new VqganModel(VqganEncoderConfig.f16Like224(), 256, 8192);
    var keys = model.namedParameters().keySet();
    assertThat(keys).contains("encoder.down.4.attn.1.proj_out.weight", "encoder.down.3.downsample.conv.weight");
    assertThat(keys).noneMatch(k -> k.startsWith("encoder.down.3.attn") || k.startsWith("encoder.down.4.downsample"));
    assertThat(model.namedParameters().get("encoder.down.2.block.0.nin_shortcut.weight").shape())
        .isEqualTo(new Shape(256, 128, 1, 1));
    assertThat(model.namedParameters().get("quantize.embedding.weight").shape()).isEqualTo(new Shape(8192, 256));
    assertThat(model.namedParameters().get("encoder.conv_out.weight").shape()).isEqualTo(new Shape(256, 512, 3, 3));
  }

  @Test
  void factoryBuildsAFrozenTinyTokenizerFromReferenceConfWithOverrides() throws Exception {
    Config settings = ConfigFactory.parseString(TINY).withFallback(ownReferenceConf().getConfig(PecoSettings.PATH));
    PecoTokenizerFactory factory = new PecoTokenizerFactory();
    assertThat(factory.name()).isEqualTo("peco");
    try (NDManager m = NDManager.newBaseManager()) {
      Tokenizer tok = factory.create(settings, TestBuildContext.of(m).withBaseDir(Paths.get(".")));
      assertThat(tok.vocabSize()).isEqualTo(16);
      assertThat(tok.inputSize()).isEqualTo(8);
      assertThat(tok.grid(8, 12)).isEqualTo(TokenGrid.image(4, 6));
      assertThat(tok.namedParameters().values()).allSatisfy(p -> assertThat(p.array().hasGradient()).isFalse());
      NDArray ids = tok.encode(m.randomUniform(0f, 1f, new Shape(2, 3, 8, 12)));
      assertThat(ids.getShape()).isEqualTo(new Shape(2, 4, 6));
      assertThat(ids.getDataType()).isEqualTo(DataType.INT64);
      assertThat(ids.max().getLong()).isLessThan(16);
      PecoTokenizer peco = (PecoTokenizer) tok;
      GroupNorm gn = (GroupNorm) peco.model().encoder().modules().get("norm_out");
      assertThat(gn.groups()).isEqualTo(4);
      assertThat(gn.eps()).isEqualTo(1e-6f);
    }
  }

  @Test
  void upstreamConfigUsesTamingGroupNormSettings() {
    ReferenceFixture f = ReferenceFixture.allFor("vqgan_peco_proxy").get(0);
    PecoSettings s = PecoSettings.fromUpstreamJson(f.constructorConfig().toString(), 32);
    assertThat(s.encoder().groups()).isEqualTo(32);
    assertThat(s.encoder().eps()).isEqualTo(1e-6);
    VqganModel model = new VqganModel(s.encoder(), s.embedDim(), s.nEmbed());
    model.namedParameters(); // structure only
    GroupNorm gn = (GroupNorm) model.encoder().modules().get("mid.block_1").modules().get("norm1");
    assertThat(gn.eps()).isEqualTo(1e-6f);
    assertThat(gn.groups()).isEqualTo(32);
  }

  @Test
  void factoryLoadsATamingCheckpointIgnoringDecoderAndLoss(@TempDir Path dir) throws Exception {
    ReferenceFixture f = ReferenceFixture.allFor("vqgan_peco_proxy").get(0);
    var cc = f.constructorConfig();
    // a Lightning-style file: everything under "model.", plus decoder/loss tensors to be ignored
    StateDict w = f.weights().rename(k -> "model." + k)
        .with(java.util.Map.of(
            "model.decoder.conv_in.weight", TensorData.ofFloats(new float[4], 2, 2),
            "model.loss.discriminator.main.0.weight", TensorData.ofFloats(new float[1], 1),
            "model.post_quant_conv.weight", TensorData.ofFloats(new float[1], 1)));
    SafeTensors.write(dir.resolve("vq.safetensors"), w.tensors(), java.util.Map.of());
    String conf =
        "ch = " + cc.get("ch") + ", ch-mult = " + cc.get("ch_mult") + ", num-res-blocks = " + cc.get("num_res_blocks")
            + ", attn-resolutions = " + cc.get("attn_resolutions") + ", resolution = " + cc.get("resolution")
            + ", z-channels = " + cc.get("z_channels") + ", double-z = " + cc.get("double_z")
            + ", embed-dim = " + cc.get("embed_dim") + ", n-embed = " + cc.get("n_embed")
            + ", input-size = " + cc.get("resolution")
            + ", weights = vq.safetensors, key-prefix-map = [ { from = \"model.\", to = \"\" } ]";
    Config settings = ConfigFactory.parseString(conf).withFallback(ownReferenceConf().getConfig(PecoSettings.PATH));
    try (NDManager m = NDManager.newBaseManager()) {
      PecoTokenizer tok = (PecoTokenizer) new PecoTokenizerFactory().create(settings, TestBuildContext.of(m).withBaseDir(dir));
      assertThat(tok.namedParameters().get("quantize.embedding.weight").array().toFloatArray())
          .containsExactly(f.weights().get("quantize.embedding.weight").toFloats());
    }
    // without the mapping the error points at the prefix to strip
    Config noMap = ConfigFactory.parseString("key-prefix-map = []").withFallback(settings);
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> new PecoTokenizerFactory().create(noMap, TestBuildContext.of(m).withBaseDir(dir)))
          .hasMessageContaining("vq.safetensors")
          .hasMessageContaining("no VQGAN encoder weights found")
          .hasMessageContaining("from = \"model.\"");
    }
  }

  @Test
  void configErrorsNameTheKeyAndConstraint() throws Exception {
    Config base = ConfigFactory.parseString(TINY).withFallback(ownReferenceConf().getConfig(PecoSettings.PATH));
    assertThatThrownBy(() -> PecoSettings.fromConfig(ConfigFactory.parseString("pixel-range = minus-one").withFallback(base)))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("bevt.model.tokenizer.peco.pixel-range")
        .hasMessageContaining("minus-one-one");
    assertThatThrownBy(() -> PecoSettings.fromConfig(ConfigFactory.parseString("groups = 3").withFallback(base)))
        .hasMessageContaining("bevt.model.tokenizer.peco.groups")
        .hasMessageContaining("multiple of the GroupNorm groups 3");
    assertThatThrownBy(() -> PecoSettings.fromConfig(ConfigFactory.parseString("input-size = 9").withFallback(base)))
        .hasMessageContaining("bevt.model.tokenizer.peco.input-size")
        .hasMessageContaining("multiple of the downsampling 2");
    assertThatThrownBy(() -> PecoSettings.fromConfig(ConfigFactory.parseString("std = [0.2, 0, 0.2]").withFallback(base)))
        .hasMessageContaining("bevt.model.tokenizer.peco.std");
    assertThatThrownBy(() -> PecoSettings.fromConfig(ConfigFactory.parseString("key-prefix-map = [ { from = a } ]").withFallback(base)))
        .hasMessageContaining("key-prefix-map")
        .hasMessageContaining("from and to");
    assertThatThrownBy(() -> PecoSettings.fromConfig(ConfigFactory.parseString("ch-mult = []").withFallback(base)))
        .hasMessageContaining("ch-mult");
    assertThat(PecoSettings.fromConfig(ConfigFactory.parseString("key-prefix-map = [ { from = \"a.\", to = \"\" } ]").withFallback(base)).keyPrefixMap())
        .containsExactly(new PecoSettings.KeyMapping("a.", ""));
    assertThat(List.of(PixelRange.keys())).containsExactly("minus-one-one", "zero-one", "mean-std");
  }
}
