package org.bevt4j.peco.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bevt4j.testkit.TestBuildContext;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.api.tokenizer.TokenizerLoss;
import org.bevt4j.api.tokenizer.TrainableTokenizer;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.peco.PecoSettings;
import org.bevt4j.peco.PecoTokenizerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PecoTrainerTest {
  /** The plugin's reference.conf with the tiny preset applied, as the loop would hand it over. */
  static Config tinySettings(String overrides) {
    Config block = ConfigFactory.parseResources(PecoTrainerTest.class.getClassLoader(), "reference.conf")
        .resolve().getConfig(PecoTrainingSettings.PATH);
    Config tiny = block.getConfig("presets.tiny").withFallback(block.withoutPath("presets"));
    return ConfigFactory.parseString(overrides).withFallback(tiny);
  }

  @Test
  void tinyPresetParses() {
    PecoTrainingSettings s = PecoTrainingSettings.fromConfig(tinySettings(""));
    assertThat(s.model().inputSize()).isEqualTo(32);
    assertThat(s.model().gridSize()).isEqualTo(4);
    assertThat(s.model().nEmbed()).isEqualTo(128);
    assertThat(s.codebook().ema()).isTrue();
    assertThat(s.codebook().restartAfter()).isEqualTo(20);
  }

  @Test
  void perceptualWeightWithoutANetworkIsAConfigError(@TempDir Path dir) {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> new PecoTrainerFactory().create(tinySettings(""), TestBuildContext.of(m).withBaseDir(dir)))
          .isInstanceOf(BevtConfigException.class)
          .hasMessageContaining("bevt.model.tokenizer.peco.training.perceptual.weight")
          .hasMessageContaining("perceptual.network");
    }
  }

  @Test
  void lossHasItsPartsAndGradientsReachEncoderAndDecoder(@TempDir Path dir) {
    try (NDManager m = NDManager.newBaseManager()) {
      TrainableTokenizer t = new PecoTrainerFactory().create(
          tinySettings("codebook.ema = false"), TestBuildContext.of(m).withBaseDir(dir).withPerceptualNetwork(new RandomConvFeatures(m)));
      NDArray x = m.randomUniform(0f, 1f, new Shape(2, 3, 32, 32));
      TokenizerLoss loss;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        loss = t.loss(x, 0);
        gc.backward(loss.total());
      }
      assertThat(loss.values()).containsKeys("loss", "rec", "codebook", "commit", "perceptual", "perplexity");
      double sum = loss.values().get("rec") + loss.values().get("codebook") + loss.values().get("commit")
          + 0.1 * loss.values().get("perceptual");
      assertThat(loss.values().get("loss")).isCloseTo(sum, org.assertj.core.api.Assertions.within(1e-4 * sum));
      for (String k : new String[] {"encoder.conv_in.weight", "quantize.embedding.weight", "decoder.conv_out.weight",
          "post_quant_conv.weight"}) {
        assertThat(t.namedParameters().get(k).array().getGradient().abs().sum().getFloat()).as(k).isGreaterThan(0f);
      }
    }
  }

  @Test
  void savedFileLoadsInThePluginAndTokenizesIdentically(@TempDir Path dir) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      TrainableTokenizer t = new PecoTrainerFactory().create(tinySettings("perceptual.weight = 0"), TestBuildContext.of(m).withBaseDir(dir));
      NDArray x = m.randomUniform(0f, 1f, new Shape(4, 3, 32, 32));
      for (int step = 0; step < 3; step++) { // EMA updates and restarts change the codebook
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(t.loss(x, step).total());
        }
        t.afterStep(step);
      }
      Path file = dir.resolve("tok.safetensors");
      t.save(file);
      assertThat(SafeTensors.read(file).keys()).contains("decoder.conv_out.weight", "post_quant_conv.bias")
          .noneMatch(k -> k.startsWith(PecoTrainer.STATE_PREFIX));
      Config settings = ConfigFactory.parseMap(java.util.Map.of("weights", file.toString())).withFallback(t.tokenizerSettings());
      Tokenizer loaded = new PecoTokenizerFactory().create(settings, TestBuildContext.of(m).withBaseDir(dir));
      assertThat(PecoSettings.fromConfig(settings).withWeights(null)).isEqualTo(PecoSettings.fromConfig(t.tokenizerSettings()));
      NDArray probe = m.randomUniform(0f, 1f, new Shape(3, 3, 32, 32));
      assertThat(loaded.encode(probe).toLongArray()).containsExactly(t.encode(probe).toLongArray());
      assertThat(t.decode(t.encode(probe)).getShape()).isEqualTo(new Shape(3, 3, 32, 32));
    }
  }
}
