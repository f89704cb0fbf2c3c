package org.bevt4j.dalle.train;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.api.tokenizer.TokenizerLoss;
import org.bevt4j.api.tokenizer.TrainableTokenizer;
import org.bevt4j.core.config.ConfigLoader;
import org.bevt4j.core.optim.AdamW;
import org.bevt4j.core.optim.ParamGroups;
import org.bevt4j.core.tokenizer.DatasetFrames;
import org.bevt4j.core.tokenizer.TokenizerTraining;
import org.bevt4j.core.tokenizer.TokenizerTrainingComponents;
import org.bevt4j.core.tokenizer.TokenizerTrainingRequest;
import org.bevt4j.core.tokenizer.TokenizerTrainingResult;
import org.bevt4j.core.tokenizer.TokenizerTrainingSettings;
import org.bevt4j.dalle.DalleTokenizerFactory;
import org.bevt4j.dalle.TrainTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains the dVAE {@code tiny} preset once through core's loop on synthetic frames (fewer steps than
 * the preset's 600 to keep the suite fast; {@code -Dbevt4j.tiny.steps=600} runs the full preset).
 */
class DalleTinyTrainingTest {
  static final int STEPS = Integer.getInteger("bevt4j.tiny.steps", 100);
  static final int BATCH = Integer.getInteger("bevt4j.tiny.batch", 8);
  @TempDir static Path dir;
  static NDManager manager;
  static TokenizerTrainingResult result;

  static Config config(String user) {
    Config plugin = ConfigFactory.parseFile(Path.of("src/main/resources/reference.conf").toFile());
    Config ref = ConfigLoader.mergeReferences(ConfigLoader.coreReference(), Map.of("tokenizer-dalle", plugin));
    return ConfigFactory.parseString(user).withFallback(ref).resolve();
  }

  @BeforeAll
  static void train() {
    manager = NDManager.newBaseManager();
    Config c = config("bevt.tokenizer-training { steps = " + STEPS + ", batch-size = " + BATCH
        + ", perceptual.network = none, sample-every = 0, eval-frames = 16 }\n"
        + "bevt.data.loader.workers = 1");
    result = TokenizerTraining.run(new TokenizerTrainingRequest(c, "dalle", "tiny", dir, new TrainTestContext(manager, dir, null),
        TokenizerTrainingComponents.of(List.of(new DalleTrainerFactory()), List.of(new DalleFeatureNetworkFactory())), null));
    System.out.println("tiny dalle summary: " + result.summary());
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void reconstructsSyntheticFramesBetterThanTheUntrainedModel() {
    double psnr = (Double) result.summary().get("psnr");
    double untrained = (Double) ((Map<?, ?>) result.summary().get("untrained")).get("psnr");
    assertThat(psnr).isGreaterThan(PSNR_MIN);
    assertThat(psnr - untrained).isGreaterThan(GAIN_MIN);
  }

  /** Thresholds: see the README (measured with 150 steps; margins for other seeds and machines). */
  static final double PSNR_MIN = 14.0;
  static final double GAIN_MIN = 2.0;

  @Test
  void usesFarMoreOfTheCodebookThanTheUntrainedModel() {
    double usage = (Double) result.summary().get("usage");
    double untrained = (Double) ((Map<?, ?>) result.summary().get("untrained")).get("usage");
    assertThat(usage).isGreaterThan(2 * untrained);
  }

  @Test
  void theSavedFileLoadsInThePluginAndTokenizesLikeTheTrainedModel() {
    Config conf = ConfigFactory.parseFile(result.tokenizerConf().toFile());
    assertThat(conf.getString("bevt.model.tokenizer.type")).isEqualTo("dalle");
    Tokenizer tok = new DalleTokenizerFactory().create(conf.getConfig("bevt.model.tokenizer.dalle"), new TrainTestContext(manager, dir, null));
    assertThat(tok.vocabSize()).isEqualTo(128);
    Config block = config("bevt.model.tokenizer.dalle.training.model.weights = \"" + result.weights() + "\"").getConfig(DalleTrainingSettings.PATH);
    Config tiny = block.getConfig("presets.tiny").withFallback(block.withoutPath("presets"));
    try (TrainableTokenizer t = new DalleTrainerFactory().create(tiny, new TrainTestContext(manager, dir, null))) {
      NDArray frames = frames(12);
      assertThat(tok.encode(frames).toLongArray()).containsExactly(t.encode(frames).toLongArray());
      assertThat(tok.encode(frames).getShape()).isEqualTo(new Shape(12, 8, 8));
    }
  }

  @Test
  void lossDecreasesOnAFixedBatch() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(1);
      TrainableTokenizer t = new DalleTrainerFactory().create(DalleTrainerTest.tiny(DalleTrainingSettings.PATH, ""), new TrainTestContext(m, dir, null));
      AdamW opt = new AdamW(ParamGroups.build(t.trainableParameters(), 0, List.of(), true, ParamGroups.NO_LR_SCALE), 0.9, 0.99, 1e-8, m);
      NDArray x = frames(8);
      double first = 0;
      double last = 0;
      for (int step = 0; step < 40; step++) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          TokenizerLoss loss = t.loss(x, step);
          gc.backward(loss.total());
          double rec = loss.values().get("rec");
          first = step == 0 ? rec : first;
          last = rec;
        }
        opt.step(2e-3);
        opt.zeroGrad();
      }
      assertThat(last).isLessThan(first - 0.5);
    }
  }

  /** Synthetic frames at the tiny tokenizer size, from the preset's data block. */
  static NDArray frames(int n) {
    Config c = config("bevt.data.loader.workers = 1");
    Config generic = c.getConfig("bevt.tokenizer-training.presets.tiny").withFallback(c.getConfig("bevt.tokenizer-training"));
    TokenizerTrainingSettings.DataSettings d = new TokenizerTrainingSettings.DataSettings("video", 4, generic.getConfig("data.overrides"));
    Config data = DatasetFrames.dataConfig(c, d, 64, n);
    try (DatasetFrames f = DatasetFrames.open(b -> org.bevt4j.core.data.DataSources.create(b, new TrainTestContext(manager, dir, null)),
        data, "video", n, 123, null)) {
      HostTensor h = f.nextHost();
      return manager.create(h.data(), new Shape(h.shape()));
    }
  }
}
