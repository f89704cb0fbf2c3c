package org.bevt4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.api.tokenizer.FeatureNetwork;
import org.bevt4j.api.tokenizer.FeatureNetworkFactory;
import org.bevt4j.core.ProgressListener;
import org.bevt4j.core.config.ConfigLoader;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTrainingTest {
  /** Small synthetic clips, 16x16 tokenizer copies, a 4x4-patch VQ with 16 codes. */
  static final String BASE = """
      bevt.tokenizer-training {
        type = tiny-vq
        steps = 24
        batch-size = 8
        optimizer.lr = 3e-3
        schedule.warmup-steps = 2
        log-every = 4
        checkpoint-every = 8
        sample-every = 12
        eval-frames = 6
        data {
          stream = video
          frames-per-clip = 2
          overrides { crop-size = 32, scale-range = [32, 40], synthetic { width = 40, height = 32, size = 64, frames = 16 } }
        }
      }
      bevt.model.tokenizer.tiny-vq.training { input-size = 16, patch = 4, dim = 6, codes = 16 }
      bevt.data.loader.workers = 1
      """;

  static Config config(String extra) {
    Config user = ConfigFactory.parseString(extra).withFallback(ConfigFactory.parseString(BASE));
    return user.withFallback(ConfigLoader.coreReference()).resolve();
  }

  record Ctx(NDManager manager, Path base) implements BuildContext {
    @Override
    public Device device() {
      return manager.getDevice();
    }

    @Override
    public long seed() {
      return 0;
    }

    @Override
    public Path resolvePath(String path) {
      return base.resolve(path);
    }

    @Override
    public Config rootConfig() {
      return ConfigFactory.empty();
    }

    @Override
    public Optional<Backbone> backbone() {
      return Optional.empty();
    }

    @Override
    public Optional<Tokenizer> tokenizer() {
      return Optional.empty();
    }
  }

  static TokenizerTrainingRequest request(Config c, Path dir, NDManager m, ProgressListener p) {
    return new TokenizerTrainingRequest(c, null, null, dir, new Ctx(m, dir),
        TokenizerTrainingComponents.of(List.of(new TinyVq.Factory()), List.of()), p);
  }

  @Test
  void trainsWritesItsOutputsAndReusesACachedResult(@TempDir Path dir) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      TokenizerTrainingResult r = TokenizerTraining.run(request(config(""), dir, m, null));
      assertThat(r.cached()).isFalse();
      for (String f : List.of("tokenizer.safetensors", "tokenizer.conf", "tokenizer.json", "comparison.md", "reconstructions.png",
          "samples/step-12.png", "plots/loss.png", "plots/codebook.png", "plots/codebook-histogram.png", "plots/lr.png",
          "metrics.jsonl", "metrics.csv", "checkpoints/step-24/model.safetensors", "checkpoints/step-16/state.json")) {
        assertThat(dir.resolve(f)).as(f).isRegularFile();
      }
      assertThat(dir.resolve("checkpoints/step-8")).doesNotExist(); // keep-checkpoints = 2
      assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).hasSize(6);
      assertThat(SafeTensors.read(r.weights()).keys()).containsExactlyInAnyOrder("enc.weight", "enc.bias", "codebook", "dec.weight", "dec.bias");
      Config conf = ConfigFactory.parseFile(r.tokenizerConf().toFile());
      assertThat(conf.getString("bevt.model.tokenizer.type")).isEqualTo("tiny-vq");
      assertThat(conf.getString("bevt.model.tokenizer.tiny-vq.weights")).isEqualTo(r.weights().toString());
      assertThat(conf.getInt("bevt.model.tokenizer.tiny-vq.codes")).isEqualTo(16);
      assertThat(r.summary()).containsKeys("psnr", "usage", "perplexity", "untrained", "config-hash");
      assertThat((Double) r.summary().get("psnr")).isGreaterThan((Double) ((Map<?, ?>) r.summary().get("untrained")).get("psnr"));
      assertThat(Files.readString(dir.resolve("comparison.md"))).contains("| trained |", "| untrained |", "Reconstruction PSNR");

      // same configuration (logging keys may differ): reused without training
      TokenizerTrainingResult again = TokenizerTraining.run(request(config("bevt.tokenizer-training.log-every = 3"), dir, m, null));
      assertThat(again.cached()).isTrue();
      assertThat(again.configHash()).isEqualTo(r.configHash());
      // a setting that changes the weights: retrained
      TokenizerTrainingResult other = TokenizerTraining.run(request(config("bevt.tokenizer-training.optimizer.lr = 1e-3"), dir, m, null));
      assertThat(other.cached()).isFalse();
      assertThat(other.configHash()).isNotEqualTo(r.configHash());
    }
  }

  @Test
  void anInterruptedRunResumesBitExactly(@TempDir Path dir) {
    Config c = config("bevt.tokenizer-training { cache = false, compare-untrained = false }");
    Map<String, TensorData> straight;
    try (NDManager m = NDManager.newBaseManager()) {
      TokenizerTrainingResult r = TokenizerTraining.run(request(c, dir.resolve("a"), m, null));
      straight = SafeTensors.read(r.weights()).tensors();
    }
    ProgressListener stopAt13 = (name, initial, total, unit) -> new ProgressListener.Task() {
      @Override
      public void update(long done) {
        if (done == 13) {
          throw new IllegalStateException("interrupted");
        }
      }

      @Override
      public void message(String message) {}

      @Override
      public void close() {}
    };
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> TokenizerTraining.run(request(c, dir.resolve("b"), m, stopAt13))).hasMessageContaining("interrupted");
    }
    assertThat(dir.resolve("b/checkpoints/step-8")).isDirectory();
    try (NDManager m = NDManager.newBaseManager()) {
      TokenizerTrainingResult r = TokenizerTraining.run(request(c, dir.resolve("b"), m, null));
      StateDict resumed = SafeTensors.read(r.weights());
      for (Map.Entry<String, TensorData> e : straight.entrySet()) {
        assertThat(resumed.get(e.getKey()).bitEquals(e.getValue())).as(e.getKey()).isTrue();
      }
    }
  }

  @Test
  void datasetFramesAreTokenizerCopiesAtTheTokenizerSize() {
    Config c = config("");
    TokenizerTrainingSettings.DataSettings d = new TokenizerTrainingSettings.DataSettings("video", 2,
        c.getConfig("bevt.tokenizer-training.data.overrides"));
    Config data = DatasetFrames.dataConfig(c, d, 16, 5);
    assertThat(data.getInt("video.batch-size")).isEqualTo(3);
    assertThat(data.getInt("video.clip-len")).isEqualTo(2);
    try (NDManager m = NDManager.newBaseManager();
        DatasetFrames f = DatasetFrames.open(b -> org.bevt4j.core.data.DataSources.create(b, new Ctx(m, Path.of("."))), data, "video", 5, 1, null)) {
      HostTensor h = f.nextHost();
      assertThat(h.shape()).containsExactly(5, 3, 16, 16);
      NDArray x = f.next(m);
      assertThat(x.getShape()).isEqualTo(new Shape(5, 3, 16, 16));
      assertThat(x.min().getFloat()).isGreaterThanOrEqualTo(0f);
      assertThat(x.max().getFloat()).isLessThanOrEqualTo(1f);
      assertThat(x.max().getFloat() - x.min().getFloat()).isGreaterThan(0.2f);
      assertThat(f.cursor()).isEqualTo("0:2");
    }
  }

  @Test
  void planAppliesPresetsAndReportsUnknownNames(@TempDir Path dir) {
    try (NDManager m = NDManager.newBaseManager()) {
      TrainingPlan p = TrainingPlan.of(request(config(""), dir, m, null));
      TrainingPlan same = TrainingPlan.of(request(config("bevt.tokenizer-training { sample-every = 5, keep-checkpoints = 9 }"), dir, m, null));
      assertThat(same.hash()).isEqualTo(p.hash());
      TrainingPlan data = TrainingPlan.of(request(config("bevt.data.video.synthetic.seed = 3"), dir, m, null));
      assertThat(data.hash()).isNotEqualTo(p.hash());
      // the tiny preset selects the dalle-encoder perceptual network, which a plugin provides
      assertThatThrownBy(() -> TrainingPlan.of(new TokenizerTrainingRequest(config(""), null, "tiny", null, new Ctx(m, dir),
          TokenizerTrainingComponents.of(List.of(new TinyVq.Factory()), List.of()), null)))
          .isInstanceOf(BevtConfigException.class).hasMessageContaining("dalle-encoder").hasMessageContaining("backbone");
      FeatureNetworkFactory stub = new FeatureNetworkFactory() {
        @Override
        public String name() {
          return "dalle-encoder";
        }

        @Override
        public FeatureNetwork create(Config settings, BuildContext ctx) {
          throw new UnsupportedOperationException();
        }
      };
      TrainingPlan tiny = TrainingPlan.of(new TokenizerTrainingRequest(config(""), null, "tiny", null, new Ctx(m, dir),
          TokenizerTrainingComponents.of(List.of(new TinyVq.Factory()), List.of(stub)), null));
      assertThat(tiny.settings().steps()).isEqualTo(24); // set by the test config: the preset does not override it
      assertThat(tiny.settings().perceptualNetwork()).isEqualTo("dalle-encoder");
      assertThat(tiny.runDir().getFileName().toString()).isEqualTo("tokenizer-tiny-vq-tiny");
      assertThatThrownBy(() -> TrainingPlan.of(new TokenizerTrainingRequest(config(""), "pecco", null, dir, new Ctx(m, dir),
          TokenizerTrainingComponents.of(List.of(new TinyVq.Factory()), List.of()), null)))
          .isInstanceOf(BevtConfigException.class).hasMessageContaining("pecco").hasMessageContaining("tiny-vq");
      assertThatThrownBy(() -> TrainingPlan.of(request(config("bevt.tokenizer-training.preset = tiyn"), dir, m, null)))
          .isInstanceOf(BevtConfigException.class).hasMessageContaining("tiyn").hasMessageContaining("tiny");
    }
  }

  @Test
  void presetsOverrideDefaultsButNotUserSettings() {
    Config reference = ConfigFactory.parseString("a = 1, b { c = 2, d = 3, e = 4 }, presets { p { b.c = 5, b.d = 6, f = 7 } }",
        com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("reference.conf"));
    Config block = ConfigFactory.parseString("b.d = 30").withFallback(reference).resolve();
    Config applied = Presets.apply(block, "p");
    assertThat(applied.getInt("b.c")).isEqualTo(5); // default: the preset wins
    assertThat(applied.getInt("b.d")).isEqualTo(30); // set by the user: kept
    assertThat(applied.getInt("b.e")).isEqualTo(4);
    assertThat(applied.getInt("f")).isEqualTo(7); // absent: added
    assertThat(applied.hasPath("presets")).isFalse();
    assertThat(Presets.apply(block, "q").getInt("b.c")).isEqualTo(2);
    assertThat(Presets.apply(block, null).getInt("b.c")).isEqualTo(2);
  }

  @Test
  void userSettingsWinOverThePreset(@TempDir Path dir) {
    try (NDManager m = NDManager.newBaseManager()) {
      Config c = ConfigFactory.parseString("bevt.tokenizer-training { steps = 7, perceptual.network = none }")
          .withFallback(ConfigFactory.parseString(BASE).withoutPath("bevt.tokenizer-training.steps"))
          .withFallback(ConfigLoader.coreReference()).resolve();
      TrainingPlan tiny = TrainingPlan.of(new TokenizerTrainingRequest(c, null, "tiny", null, new Ctx(m, dir),
          TokenizerTrainingComponents.of(List.of(new TinyVq.Factory()), List.of()), null));
      assertThat(tiny.settings().steps()).isEqualTo(7);
      assertThat(tiny.settings().perceptualNetwork()).isNull();
      assertThat(tiny.settings().sampleEvery()).isEqualTo(12); // BASE sets it: kept
    }
  }
}
