package org.bevt4j.core.data;

import com.typesafe.config.Config;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Settings;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.transform.AugmentSettings;
import org.bevt4j.core.data.transform.ClipSettings;
import org.bevt4j.core.data.transform.EvalSettings;
import org.bevt4j.core.data.transform.JitterSettings;
import org.bevt4j.core.data.transform.SamplePipeline;

/**
 * The shared keys of one {@code bevt.data.<stream>} block, validated eagerly (errors name the key,
 * its origin, the value and the constraint).
 *
 * @param stream image or video
 * @param type dataset type
 * @param batchSize samples per loader batch
 * @param augment spatial augmentation / eval views / tokenizer copy
 * @param clip temporal sampling (video stream only, else null)
 * @param settings the raw block, for the type's own sub-block
 */
public record StreamSettings(
    StreamKind stream, String type, int batchSize, AugmentSettings augment, ClipSettings clip, Settings settings) {

  /** Default tokenizer input size when no tokenizer is built (BEVT/DALL-E: 112). */
  public static final int DEFAULT_TOKENIZER_SIZE = 112;

  /**
   * Parses a stream block.
   *
   * @param block the {@code bevt.data.<stream>} subtree
   * @param ctx may be null; when it holds a tokenizer its input size sets the tokenizer copy size
   */
  public static StreamSettings parse(Config block, BuildContext ctx) {
    return parse(block, ctx, null);
  }

  /**
   * Parses a stream-shaped block that lives elsewhere (e.g. {@code bevt.finetune.train-data}), so that
   * errors name its real path.
   *
   * @param path the block's config path, or null for {@code bevt.data.<stream>}
   */
  public static StreamSettings parse(Config block, BuildContext ctx, String path) {
    Settings raw = Settings.of(block, path != null ? path : "bevt.data");
    String streamName = raw.oneOf("stream", "image", "video");
    StreamKind stream = StreamKind.fromConfigName(streamName);
    Settings s = Settings.of(block, path != null ? path : "bevt.data." + streamName);
    String type = s.string("type");
    boolean train = s.oneOf("mode", "train", "eval").equals("train");
    int batch = s.intIn("batch-size", 1, 1 << 20);
    int crop = s.intIn("crop-size", 1, 1 << 14);
    int[] range = s.ints("scale-range", -1, 1);
    if (range.length != 0 && (range.length != 2 || range[1] < range[0])) {
      throw s.invalid("scale-range", "expected [] or [min, max] with min <= max", null);
    }
    String interp = s.oneOf("interpolation", "bicubic", "bilinear", "lanczos");
    double flip = s.numberIn("flip", 0, 1);
    Settings cj = s.sub("color-jitter");
    JitterSettings jitter = new JitterSettings(
        cj.numberIn("brightness", 0, 1), cj.numberIn("contrast", 0, 1),
        cj.numberIn("saturation", 0, 1), cj.numberIn("hue", 0, 0.5));
    float[] mean = floats(s, "mean");
    float[] std = floats(s, "std");
    for (int i = 0; i < 3; i++) {
      if (!(std[i] > 0)) {
        throw s.invalid("std", "std values must be > 0", null);
      }
    }
    int tokSize = 0;
    if (s.bool("tokenizer-copy")) {
      tokSize = s.intIn("tokenizer-size", 1, 4096);
      if (ctx != null && ctx.tokenizer().isPresent()) {
        tokSize = ctx.tokenizer().get().inputSize();
      }
    }
    int lanczos = s.intIn("tokenizer-lanczos-order", 1, 8);
    boolean antialias = s.bool("tokenizer-antialias");
    Settings ev = s.sub("eval");
    EvalSettings eval = new EvalSettings(
        ev.intIn("short-side", 1, 1 << 14), ev.oneOf("crop", "center", "three"),
        ev.intIn("clips", 1, 64), ev.oneOf("interpolation", "bilinear", "bicubic", "lanczos"));
    if (eval.shortSide() < crop) {
      throw ev.invalid("short-side", "short side " + eval.shortSide() + " is smaller than crop-size " + crop, null);
    }
    AugmentSettings aug = new AugmentSettings(train, crop, range.length == 0 ? 0 : range[0],
        range.length == 0 ? 0 : range[1], interp, train ? flip : 0, train ? jitter : JitterSettings.none(),
        mean, std, train ? tokSize : 0, lanczos, antialias, eval);
    ClipSettings clip = null;
    if (stream == StreamKind.VIDEO) {
      String sampling = s.oneOf("sampling", "random", "uniform-segments");
      clip = new ClipSettings(s.intIn("clip-len", 1, 4096), s.intIn("frame-interval", 1, 4096),
          ClipSettings.Sampling.of(sampling));
    }
    return new StreamSettings(stream, type, batch, aug, clip, s);
  }

  private static float[] floats(Settings s, String key) {
    double[] d = s.numbers(key);
    if (d.length != 3) {
      throw s.invalid(key, "expected 3 values (R, G, B), found " + d.length, null);
    }
    return new float[] {(float) d[0], (float) d[1], (float) d[2]};
  }

  /** The type's own sub-block ({@code bevt.data.<stream>.<type>}). */
  public Settings typeSettings() {
    return settings.sub(type);
  }

  /** Fails unless this block feeds the given stream (e.g. {@code image-folder} on the video stream). */
  public void requireStream(StreamKind expected) {
    if (stream != expected) {
      throw new BevtConfigException(settings.full("type"), settings.origin("type"),
          "dataset type \"" + type + "\" provides " + expected.configName() + "s but this block feeds the "
              + stream.configName() + " stream", null);
    }
  }

  /** The transform pipeline for this stream. */
  public SamplePipeline pipeline(java.util.function.IntUnaryOperator flipLabel) {
    return new SamplePipeline(augment, clip, flipLabel);
  }
}
