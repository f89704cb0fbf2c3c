package org.bevt4j.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.bevt4j.api.StreamKind;

/** Builds tiny components and configs for trainer tests (16x16 inputs, 4 frames, 16-d model, 32 tokens). */
final class Tiny {
  static final int DIM = 32;
  static final int PATCH = 4;
  static final int HW = 16;
  static final int FRAMES = 4;
  static final int VOCAB = 32;

  private Tiny() {}

  /** The core reference config with HOCON overrides on top, resolved. */
  static Config config(Path runDir, String overrides) {
    String base =
        "bevt.train {\n"
            + "  stages = [{ name = joint, streams = [video, image], steps = 4 }]\n"
            + "  batch-size { video = 2, image = 4 }\n"
            + "  accumulate = 1\n"
            + "  optimizer { lr = 1e-2 }\n"
            + "  schedule { warmup-steps = 1 }\n"
            + "  log-every = 1\n"
            + "  checkpoint-every = 0\n"
            + "  device = cpu\n"
            + "}\n"
            + "bevt.run { name = tiny, dir = \"" + runDir.toString().replace("\\", "/") + "\" }\n";
    return ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.parseString(base))
        .withFallback(ConfigFactory.parseResources("reference.conf"))
        .resolve();
  }

  /** Fresh components, initialised from the engine RNG seeded with {@code seed}. */
  static PretrainComponents components(NDManager m, long seed, int videoSamples, int imageSamples) {
    return components(m, seed, videoSamples, imageSamples, 0.1, 2);
  }

  /** With a given dropout and tokenizer patch (2 fits the 4x4 mask grid; other values do not). */
  static PretrainComponents components(NDManager m, long seed, int videoSamples, int imageSamples, double dropout, int tokenizerPatch) {
    Pretrainer.seedEngine(seed);
    TinyBackbone b = new TinyBackbone(DIM, PATCH, dropout, true);
    b.initialize(m);
    TinyDecoder vd = new TinyDecoder(StreamKind.VIDEO, b);
    vd.initialize(m);
    TinyDecoder id = new TinyDecoder(StreamKind.IMAGE, b);
    id.initialize(m);
    // the tokenizer stands for pretrained weights: the same whatever the run seed
    ai.djl.engine.Engine.getInstance().setRandomSeed(1234);
    TinyTokenizer tok = new TinyTokenizer(VOCAB, HW / 2, tokenizerPatch);
    tok.initialize(m);
    return new PretrainComponents(
        b, id, vd, tok, new CountMasker(0.5), new CountMasker(0.5),
        new TinyDataset(StreamKind.IMAGE, imageSamples, FRAMES, HW), new TinyDataset(StreamKind.VIDEO, videoSamples, FRAMES, HW));
  }

  static NDManager manager() {
    return NDManager.newBaseManager(Device.cpu());
  }

  /** A builder with settings from {@code cfg}, no shutdown hook. */
  static Pretrainer.Builder trainer(PretrainComponents c, Config cfg, NDManager m) {
    return Pretrainer.builder()
        .setComponents(c)
        .setTrainSettings(TrainSettings.from(cfg))
        .setRunSettings(RunSettings.from(cfg))
        .setManager(m)
        .optShutdownHook(false);
  }
}
