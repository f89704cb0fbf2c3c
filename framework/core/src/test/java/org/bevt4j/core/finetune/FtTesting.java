package org.bevt4j.core.finetune;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.bevt4j.api.Dataset;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.bevt4j.core.data.synthetic.SyntheticDatasetFactory;
import org.bevt4j.core.testing.TinyVideoViT;

/**
 * Shared set-up of the fine-tuning tests: the core reference config with a tiny synthetic-video
 * recipe on top (32 px crops of 40x32 renders, 8-frame clips, 11 motion classes), a
 * {@link TinyVideoViT} backbone and the synthetic datasets of the finetune blocks.
 */
final class FtTesting {
  static final String BASE =
      """
      bevt.data.video {
        clip-len = 8
        frame-interval = 2
        scale-range = [32, 40]
        crop-size = 32
        eval { short-side = 32 }
        synthetic { size = 88, width = 40, height = 32, frames = 24, slow-speed = 0.02, fast-speed = 0.05, rotation-speed = 6 }
      }
      bevt.data.loader { workers = 2, prefetch = 2 }
      bevt.finetune {
        steps = 6
        accumulate = 1
        drop-path = null
        clip-grad-norm = 1.0
        log-every = 1
        checkpoint-every = 0
        optimizer { lr = 1e-3, weight-decay = 0.05, layer-decay = 0.75 }
        schedule { warmup-steps = 2 }
        head { dropout = 0.0 }
        test { clips = 1, crops = 1 }
        train-data { batch-size = 4 }
        val-data { batch-size = 4, synthetic { size = 22 } }
      }
      """;

  private FtTesting() {}

  /** The resolved config with the fine-tuning run in {@code runDir} and {@code overrides} on top. */
  static Config config(Path runDir, String overrides) {
    String run = "bevt.finetune.run { dir = \"" + runDir.toString().replace("\\", "/") + "\" }\n";
    return ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.parseString(run))
        .withFallback(ConfigFactory.parseString(BASE))
        .withFallback(ConfigFactory.parseResources("reference.conf"))
        .resolve();
  }

  static FinetuneSettings settings(Config cfg) {
    return FinetuneSettings.from(cfg);
  }

  static LoaderSettings loader(Config cfg) {
    return LoaderSettings.parse(cfg.getConfig("bevt.data.loader"));
  }

  static NDManager manager() {
    return NDManager.newBaseManager(Device.cpu());
  }

  /** A fresh convolutional backbone initialised from the engine RNG seeded for {@code seed}. */
  static org.bevt4j.core.testing.TinyVideoCNN cnn(NDManager m, long seed, double dropPath) {
    Finetuner.seedEngine(seed);
    org.bevt4j.core.testing.TinyVideoCNN b = new org.bevt4j.core.testing.TinyVideoCNN(32, 1, dropPath);
    b.initialize(m);
    return b;
  }

  /** A fresh tiny backbone initialised from the engine RNG seeded for {@code seed}. */
  static TinyVideoViT backbone(NDManager m, long seed, double dropPath) {
    Finetuner.seedEngine(seed);
    TinyVideoViT b = new TinyVideoViT(32, 2, 8, 64, dropPath);
    b.initialize(m);
    return b;
  }

  static Dataset dataset(Config block) {
    return new SyntheticDatasetFactory().create(block, null);
  }

  /** A fine-tuner over fresh synthetic datasets, without the shutdown hook. */
  static Finetuner.Builder finetuner(Config cfg, NDManager m, org.bevt4j.api.Backbone backbone) {
    FinetuneSettings s = settings(cfg);
    return Finetuner.builder()
        .setBackbone(backbone)
        .setTrainData(dataset(s.trainData()))
        .setValData(dataset(s.valData()))
        .setSettings(s)
        .setManager(m)
        .optLoaderSettings(loader(cfg))
        .optShutdownHook(false);
  }
}
