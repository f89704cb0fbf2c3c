package org.bevt4j.core.tokenizer;

import com.typesafe.config.Config;
import java.util.List;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Settings;

/**
 * The generic settings of {@code bevt.tokenizer-training} (after the preset is applied).
 *
 * @param type the trainable tokenizer type ({@code peco}, {@code dalle}, ...)
 * @param preset the preset applied, or null
 * @param steps optimizer steps
 * @param batchSize frames per step
 * @param lr peak learning rate
 * @param beta1 AdamW β1
 * @param beta2 AdamW β2
 * @param eps AdamW ε
 * @param weightDecay decoupled weight decay of weights that are not exempt
 * @param noDecay parameter-name substrings exempt from weight decay (1-D parameters and biases
 *     always are)
 * @param warmupSteps linear warm-up steps
 * @param warmupStartFactor warm-up starts at this fraction of the rate
 * @param schedule the post-warm-up curve ({@code cosine}, {@code linear}, {@code constant})
 * @param minLr the final rate
 * @param clipGradNorm global gradient-norm clip (0 = off)
 * @param seed RNG seed (weights, data order, noise)
 * @param logEvery steps between log lines / metric records
 * @param checkpointEvery steps between checkpoints (0 = only at the end)
 * @param keepCheckpoints checkpoints kept
 * @param sampleEvery steps between reconstruction grids and codebook plots (0 = only at the end)
 * @param evalFrames held-out frames for reconstructions, PSNR and token statistics
 * @param resume {@code auto} (continue from the latest valid checkpoint of a run with the same
 *     config hash) or {@code none}
 * @param cache reuse a trained file in the run directory whose config hash matches
 * @param compareUntrained also evaluate the untrained initialisation and compare its tokens
 * @param data where frames come from
 * @param perceptualNetwork the perceptual network type, or null for none
 */
public record TokenizerTrainingSettings(
    String type,
    String preset,
    long steps,
    int batchSize,
    double lr,
    double beta1,
    double beta2,
    double eps,
    double weightDecay,
    List<String> noDecay,
    long warmupSteps,
    double warmupStartFactor,
    String schedule,
    double minLr,
    double clipGradNorm,
    long seed,
    int logEvery,
    long checkpointEvery,
    int keepCheckpoints,
    long sampleEvery,
    int evalFrames,
    boolean resume,
    boolean cache,
    boolean compareUntrained,
    DataSettings data,
    String perceptualNetwork) {
  public static final String PATH = "bevt.tokenizer-training";

  /**
   * Where frames come from.
   *
   * @param stream the {@code bevt.data.<stream>} block read ({@code image} or {@code video})
   * @param framesPerClip frames taken from each clip (its tokenizer copy); 1 for images
   * @param overrides merged onto that block (e.g. smaller synthetic renders for a preset)
   */
  public record DataSettings(String stream, int framesPerClip, Config overrides) {}

  public TokenizerTrainingSettings {
    noDecay = List.copyOf(noDecay);
  }

  /**
   * Parses {@code bevt.tokenizer-training} of a resolved root config with the preset applied.
   *
   * @param block the generic block, preset already applied ({@link Presets#apply})
   * @param type the type ({@code --type} or the block's {@code type})
   * @param preset the preset name, or null
   * @param defaultSeed used when {@code seed = null} ({@code bevt.train.seed})
   */
  public static TokenizerTrainingSettings parse(Config block, String type, String preset, long defaultSeed) {
    Settings s = Settings.of(block, PATH);
    Settings o = s.sub("optimizer");
    double[] betas = o.numbers("betas");
    if (betas.length != 2 || !(betas[0] >= 0 && betas[0] < 1) || !(betas[1] >= 0 && betas[1] < 1)) {
      throw o.invalid("betas", "expected [beta1, beta2] in [0, 1)", null);
    }
    Settings sc = s.sub("schedule");
    String schedule = sc.oneOf("type", "cosine", "linear", "constant");
    Settings d = s.sub("data");
    String stream = d.oneOf("stream", "image", "video");
    Config overrides = block.hasPath("data.overrides") ? block.getConfig("data.overrides") : com.typesafe.config.ConfigFactory.empty();
    String resume = s.oneOf("resume", "auto", "none");
    long steps = s.longValue("steps");
    if (steps < 1) {
      throw s.invalid("steps", "value " + steps + " must be >= 1", null);
    }
    long warmup = sc.longValue("warmup-steps");
    if (warmup < 0 || warmup > steps) {
      throw sc.invalid("warmup-steps", "value " + warmup + " must be in [0, steps = " + steps + "]", null);
    }
    String network = s.sub("perceptual").optString("network");
    if ("none".equals(network)) {
      network = null;
    }
    long seed = s.isNull("seed") ? defaultSeed : s.longValue("seed");
    if (type == null || type.isBlank()) {
      throw new BevtConfigException(s.full("type"), s.origin("type"), "no tokenizer type given", "use --type peco|dalle or set " + s.full("type"));
    }
    return new TokenizerTrainingSettings(
        type, preset, steps, s.intIn("batch-size", 1, 1 << 16),
        o.numberIn("lr", 0, 10), betas[0], betas[1], o.numberIn("eps", Double.MIN_VALUE, 1), o.numberIn("weight-decay", 0, 10),
        o.strings("no-decay"), warmup, sc.numberIn("warmup-start-factor", 0, 1), schedule, sc.numberIn("min-lr", 0, 10),
        s.numberIn("clip-grad-norm", 0, 1e9), seed, s.intIn("log-every", 1, 1 << 30),
        nonNegative(s, "checkpoint-every"), s.intIn("keep-checkpoints", 1, 1000), nonNegative(s, "sample-every"),
        s.intIn("eval-frames", 1, 4096), resume.equals("auto"), s.bool("cache"), s.bool("compare-untrained"),
        new DataSettings(stream, d.intIn("frames-per-clip", 1, 4096), overrides), network);
  }

  private static long nonNegative(Settings s, String key) {
    long v = s.longValue(key);
    if (v < 0) {
      throw s.invalid(key, "value " + v + " must be >= 0", null);
    }
    return v;
  }
}
