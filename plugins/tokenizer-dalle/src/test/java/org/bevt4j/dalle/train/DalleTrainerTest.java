package org.bevt4j.dalle.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bevt4j.testkit.TestBuildContext;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.api.tokenizer.FeatureNetwork;
import org.bevt4j.api.tokenizer.TokenizerLoss;
import org.bevt4j.api.tokenizer.TrainableTokenizer;
import org.bevt4j.dalle.DalleTokenizerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DalleTrainerTest {
  static Config reference(String path) {
    return ConfigFactory.parseResources(DalleTrainerTest.class.getClassLoader(), "reference.conf").resolve().getConfig(path);
  }

  /** A block with its tiny preset applied, as the loop hands it over. */
  static Config tiny(String path, String overrides) {
    Config block = reference(path);
    return ConfigFactory.parseString(overrides).withFallback(block.getConfig("presets.tiny").withFallback(block.withoutPath("presets")));
  }

  @Test
  void tinyPresetParses() {
    DalleTrainingSettings s = DalleTrainingSettings.fromConfig(tiny(DalleTrainingSettings.PATH, ""));
    assertThat(s.model().inputSize()).isEqualTo(64);
    assertThat(s.model().encoder().vocabSize()).isEqualTo(128);
    assertThat(s.decoder().vocabSize()).isEqualTo(128);
    assertThat(s.temperature().at(0)).isEqualTo(1.0);
    assertThat(s.temperature().at(500)).isEqualTo(0.1);
    assertThat(s.klWeight().at(0)).isEqualTo(0.0);
    assertThat(s.klWeight().at(200)).isEqualTo(0.005);
    assertThat(s.reconstruction()).isEqualTo(PixelLoss.MSE);
  }

  @Test
  void lossFollowsTheSchedulesAndGradientsReachBothHalves(@TempDir Path dir) {
    try (NDManager m = NDManager.newBaseManager()) {
      TrainableTokenizer t = new DalleTrainerFactory().create(tiny(DalleTrainingSettings.PATH, ""), TestBuildContext.of(m).withBaseDir(dir));
      NDArray x = m.randomUniform(0f, 1f, new Shape(2, 3, 64, 64));
      TokenizerLoss loss;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        loss = t.loss(x, 100);
        gc.backward(loss.total());
      }
      Map<String, Double> v = loss.values();
      DalleTrainingSettings s = ((DalleTrainer) t).settings();
      assertThat(v.get("tau")).isCloseTo(s.temperature().at(100), within(1e-6));
      assertThat(v.get("kl_weight")).isCloseTo(s.klWeight().at(100), within(1e-6));
      assertThat(v.get("loss")).isCloseTo(v.get("rec") + v.get("kl_weight") * v.get("kl"), within(1e-4));
      for (String k : List.of("encoder.blocks.input.w", "encoder.blocks.output.conv.w", "decoder.blocks.input.w", "decoder.blocks.output.conv.w")) {
        assertThat(t.namedParameters().get(k).array().getGradient().abs().sum().getFloat()).as(k).isGreaterThan(0f);
      }
      assertThat(t.takeCodeCounts()).hasSize(128).matches(c -> java.util.Arrays.stream(c).sum() == 2 * 8 * 8);
    }
  }

  @Test
  void savedFileLoadsInThePluginAndTokenizesIdentically(@TempDir Path dir) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      TrainableTokenizer t = new DalleTrainerFactory().create(tiny(DalleTrainingSettings.PATH, ""), TestBuildContext.of(m).withBaseDir(dir));
      Path file = dir.resolve("dvae.safetensors");
      t.save(file);
      Config settings = ConfigFactory.parseMap(Map.of("weights", file.getFileName().toString())).withFallback(t.tokenizerSettings());
      Tokenizer loaded = new DalleTokenizerFactory().create(settings, TestBuildContext.of(m).withBaseDir(dir));
      NDArray probe = m.randomUniform(0f, 1f, new Shape(3, 3, 64, 64));
      assertThat(loaded.encode(probe).toLongArray()).containsExactly(t.encode(probe).toLongArray());
      NDArray rec = t.decode(t.encode(probe));
      assertThat(rec.getShape()).isEqualTo(new Shape(3, 3, 64, 64));
      assertThat(rec.min().getFloat()).isGreaterThanOrEqualTo(0f);
      assertThat(rec.max().getFloat()).isLessThanOrEqualTo(1f);
    }
  }

  @Test
  void dalleEncoderFeatureNetworkIsFrozenAndMultiScale(@TempDir Path dir) {
    try (NDManager m = NDManager.newBaseManager()) {
      FeatureNetwork net = new DalleFeatureNetworkFactory().create(
          tiny("bevt.model.tokenizer.dalle.perceptual-network", ""), TestBuildContext.of(m).withBaseDir(dir));
      NDArray x = m.randomUniform(0f, 1f, new Shape(2, 3, 32, 32));
      x.setRequiresGradient(true);
      List<NDArray> f;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        f = net.features(x);
        gc.backward(f.get(2).sum());
      }
      assertThat(f).extracting(NDArray::getShape)
          .containsExactly(new Shape(2, 16, 32, 32), new Shape(2, 16, 16, 16), new Shape(2, 32, 8, 8));
      assertThat(x.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
      assertThat(net.describe()).contains("random weights");
    }
  }
}
