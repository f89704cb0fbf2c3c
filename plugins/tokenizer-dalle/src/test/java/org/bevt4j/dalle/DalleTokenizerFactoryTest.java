package org.bevt4j.dalle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bevt4j.testkit.TestBuildContext;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.testkit.ReferenceFixture;
import org.junit.jupiter.api.Test;

class DalleTokenizerFactoryTest {
  private static Config ownReferenceConf() throws URISyntaxException {
    Path classes = Paths.get(DalleTokenizerFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path conf = classes.resolve("reference.conf");
    assertThat(conf).exists();
    return ConfigFactory.parseFile(conf.toFile());
  }

  @Test
  void referenceConfHoldsOnlyTheDalleSubtreeWithTheReleasedDefaults() throws Exception {
    Config ref = ownReferenceConf();
    assertThat(ref.root().keySet()).containsExactly("bevt");
    assertThat(ref.getConfig("bevt").root().keySet()).containsExactly("model");
    assertThat(ref.getConfig("bevt.model").root().keySet()).containsExactly("tokenizer");
    assertThat(ref.getConfig("bevt.model.tokenizer").root().keySet()).containsExactly("dalle");
    DalleSettings s = DalleSettings.fromConfig(ref.getConfig(DalleSettings.PATH));
    assertThat(s).isEqualTo(DalleSettings.defaults());
    assertThat(s.encoder()).isEqualTo(DalleEncoderConfig.released());
    assertThat(s.encoder().postGain()).isEqualTo(1.0 / 64);
    assertThat(s.gridSize()).isEqualTo(14);
  }

  @Test
  void factoryBuildsAFrozenTinyTokenizerFromReferenceConfWithOverrides() throws Exception {
    Config settings =
        ConfigFactory.parseString("n-hid = 8, vocab-size = 16, input-size = 16")
            .withFallback(ownReferenceConf().getConfig(DalleSettings.PATH));
    DalleTokenizerFactory factory = new DalleTokenizerFactory();
    assertThat(factory.name()).isEqualTo("dalle");
    try (NDManager m = NDManager.newBaseManager()) {
      Tokenizer tok = factory.create(settings, TestBuildContext.of(m).withBaseDir(Paths.get(".")));
      assertThat(tok.vocabSize()).isEqualTo(16);
      assertThat(tok.inputSize()).isEqualTo(16);
      assertThat(tok.grid(16, 24)).isEqualTo(TokenGrid.image(2, 3));
      assertThat(tok.namedParameters()).isNotEmpty();
      assertThat(tok.namedParameters().values()).allSatisfy(p -> {
        assertThat(p.isTrainable()).isFalse();
        assertThat(p.array().hasGradient()).isFalse();
      });
      NDArray ids = tok.encode(m.randomUniform(0f, 1f, new Shape(3, 3, 16, 24)));
      assertThat(ids.getShape()).isEqualTo(new Shape(3, 2, 3));
      assertThat(ids.getDataType()).isEqualTo(DataType.INT64);
      assertThat(ids.min().getLong()).isGreaterThanOrEqualTo(0);
      assertThat(ids.max().getLong()).isLessThan(16);
    }
  }

  @Test
  void factoryLoadsWeightsRelativeToTheConfigFile() {
    ReferenceFixture f = ReferenceFixture.allFor("dalle_encoder").get(0);
    var cc = f.constructorConfig();
    Config settings =
        ConfigFactory.parseMap(
                java.util.Map.of(
                    "n-hid", cc.get("n_hid").getAsInt(),
                    "n-blk-per-group", cc.get("n_blk_per_group").getAsInt(),
                    "vocab-size", cc.get("vocab_size").getAsInt(),
                    "weights", "weights.safetensors"))
            .withFallback(ConfigFactory.parseMap(java.util.Map.of("input-size", 16, "logit-laplace-eps", 0.1)));
    try (NDManager m = NDManager.newBaseManager()) {
      DalleTokenizer tok = (DalleTokenizer) new DalleTokenizerFactory().create(settings, TestBuildContext.of(m).withBaseDir(f.dir()));
      NDArray w = tok.namedParameters().get("blocks.input.w").array();
      assertThat(w.toFloatArray()).containsExactly(f.weights().get("blocks.input.w").toFloats());
    }
  }

  @Test
  void configErrorsNameTheKeyAndConstraint() throws Exception {
    Config base = ownReferenceConf().getConfig(DalleSettings.PATH);
    assertThatThrownBy(() -> DalleSettings.fromConfig(ConfigFactory.parseString("n-hid = 10").withFallback(base)))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("bevt.model.tokenizer.dalle.n-hid")
        .hasMessageContaining("multiple of 4");
    assertThatThrownBy(() -> DalleSettings.fromConfig(ConfigFactory.parseString("input-size = 100").withFallback(base)))
        .hasMessageContaining("bevt.model.tokenizer.dalle.input-size")
        .hasMessageContaining("multiple of 8");
    assertThatThrownBy(() -> DalleSettings.fromConfig(ConfigFactory.parseString("logit-laplace-eps = 0.7").withFallback(base)))
        .hasMessageContaining("logit-laplace-eps")
        .hasMessageContaining("[0, 0.5)");
    assertThatThrownBy(() -> DalleSettings.fromConfig(ConfigFactory.parseString("vocab-size = many").withFallback(base)))
        .hasMessageContaining("vocab-size")
        .hasMessageContaining("expected a number");
  }

  @Test
  void missingWeightFileIsReported(@org.junit.jupiter.api.io.TempDir Path dir) {
    Config settings =
        ConfigFactory.parseString("n-hid = 8, vocab-size = 16, input-size = 16, n-blk-per-group = 1, logit-laplace-eps = 0.1, weights = nope.safetensors");
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> new DalleTokenizerFactory().create(settings, TestBuildContext.of(m).withBaseDir(dir)))
          .hasMessageContaining("nope.safetensors");
    }
    assertThat(Files.exists(dir.resolve("nope.safetensors"))).isFalse();
  }
}
