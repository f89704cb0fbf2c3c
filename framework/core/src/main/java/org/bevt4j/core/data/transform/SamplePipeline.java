package org.bevt4j.core.data.transform;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntUnaryOperator;
import java.util.random.RandomGenerator;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.Sample;

/**
 * Turns decoded pictures into a {@link Sample}: temporal sampling, rescale + crop + flip in one
 * resampling pass straight into the output tensor, colour jitter, the tokenizer copy (the same crop
 * resized with Lanczos, in [0, 1]) and normalisation, in place.
 *
 * <p>Layouts: training clips give input {@code (3, T, S, S)} and tokenizer input
 * {@code (T, 3, s, s)}; images give {@code (3, S, S)} and {@code (1, 3, s, s)}. Evaluation gives
 * {@code (V, 3, T, S, S)} / {@code (V, 3, S, S)} for V = clips x crops views (rank unchanged when
 * V = 1) and no tokenizer copy. Thread-safe; all state is per call.
 */
public final class SamplePipeline {
  private final AugmentSettings aug;
  private final ClipSampler sampler;
  private final IntUnaryOperator flipLabel;
  private final Kernel kernel;
  private final Kernel evalKernel;
  private final ColorJitter jitter;
  private final Taps tokX;
  private final Taps tokY;

  /**
   * @param clip temporal sampling, null for the image stream
   * @param flipLabel label after a horizontal flip (identity for most datasets; the synthetic one
   *     swaps left/right motion)
   */
  public SamplePipeline(AugmentSettings aug, ClipSettings clip, IntUnaryOperator flipLabel) {
    this.aug = aug;
    this.sampler = clip == null ? null : new ClipSampler(clip);
    this.flipLabel = flipLabel == null ? IntUnaryOperator.identity() : flipLabel;
    this.kernel = Kernel.named(aug.interpolation(), aug.lanczosOrder());
    this.evalKernel = Kernel.named(aug.eval().interpolation(), aug.lanczosOrder());
    this.jitter = new ColorJitter(aug.jitter());
    if (aug.train() && aug.tokenizerSize() > 0) {
      Kernel lanczos = Kernel.lanczos(aug.lanczosOrder());
      int s = aug.tokenizerSize();
      tokX = Taps.compute(aug.cropSize(), s, 0, s, lanczos, aug.lanczosAntialias());
      tokY = tokX;
    } else {
      tokX = null;
      tokY = null;
    }
  }

  public AugmentSettings settings() {
    return aug;
  }

  /** The temporal sampler, or null for images. */
  public ClipSampler sampler() {
    return sampler;
  }

  /** Frames per clip (1 for images). */
  public int clipLen() {
    return sampler == null ? 1 : sampler.settings().clipLen();
  }

  /** Views per sample in evaluation mode, 1 when training. */
  public int views() {
    return aug.train() ? 1 : (sampler == null ? aug.eval().crops() : aug.eval().views());
  }

  /** An image sample. */
  public Sample image(RgbFrame img, int label, String source, RandomGenerator rng) {
    return build(new RgbFrame[] {img}, new int[][] {{0}}, label, source, rng, false);
  }

  /** A clip sample from a video of {@code numFrames} frames; decodes only the sampled frames. */
  public Sample clip(int numFrames, FrameFetcher fetch, int label, String source, RandomGenerator rng)
      throws IOException {
    if (sampler == null) {
      throw new IllegalStateException("this pipeline has no clip settings (image stream)");
    }
    int[][] clips = aug.train()
        ? new int[][] {sampler.train(numFrames, rng)}
        : sampler.test(numFrames, aug.eval().clips());
    TreeSet<Integer> set = new TreeSet<>();
    for (int[] c : clips) {
      for (int i : c) {
        set.add(i);
      }
    }
    int[] unique = set.stream().mapToInt(Integer::intValue).toArray();
    RgbFrame[] frames = fetch.fetch(unique);
    if (frames.length != unique.length) {
      throw new IOException(source + ": decoder returned " + frames.length + " frames for " + unique.length + " indices");
    }
    for (RgbFrame f : frames) {
      if (f.width() != frames[0].width() || f.height() != frames[0].height()) {
        throw new IOException(source + ": frame size changes inside the clip (" + frames[0].width() + "x"
            + frames[0].height() + " vs " + f.width() + "x" + f.height() + ")");
      }
    }
    int[][] slots = new int[clips.length][];
    for (int k = 0; k < clips.length; k++) {
      slots[k] = new int[clips[k].length];
      for (int i = 0; i < clips[k].length; i++) {
        slots[k][i] = Arrays.binarySearch(unique, clips[k][i]);
      }
    }
    return build(frames, slots, label, source, rng, true);
  }

  private Sample build(RgbFrame[] frames, int[][] clips, int label, String source, RandomGenerator rng, boolean video) {
    RgbFrame first = frames[0];
    int t = clips[0].length;
    int s = aug.cropSize();
    int hw = s * s;
    if (aug.train()) {
      SpatialPlan plan = SpatialPlan.train(first.width(), first.height(), aug, rng);
      ColorJitter.Params jp = jitter.enabled() ? jitter.sample(rng) : null;
      float[] input = new float[3 * t * hw];
      render(frames, clips[0], plan, kernel, input, 0, jp);
      float[] tok = tokX != null ? tokenizerCopy(input, t) : null;
      normalize(input, 0, t * hw);
      int outLabel = plan.flip() && label >= 0 ? flipLabel.applyAsInt(label) : label;
      int ts = aug.tokenizerSize();
      HostTensor in = video ? new HostTensor(input, new long[] {3, t, s, s}) : new HostTensor(input, new long[] {3, s, s});
      HostTensor tk = tok == null ? null : new HostTensor(tok, new long[] {video ? t : 1, 3, ts, ts});
      return new Sample(in, tk, outLabel, source);
    }
    List<SpatialPlan> plans = SpatialPlan.eval(first.width(), first.height(), aug);
    int views = clips.length * plans.size();
    float[] input = new float[views * 3 * t * hw];
    int v = 0;
    for (int[] clip : clips) {
      for (SpatialPlan plan : plans) {
        render(frames, clip, plan, evalKernel, input, v * 3 * t * hw, null);
        v++;
      }
    }
    normalize(input, 0, t * hw);
    long[] shape = video ? new long[] {3, t, s, s} : new long[] {3, s, s};
    if (views > 1) {
      long[] withViews = new long[shape.length + 1];
      withViews[0] = views;
      System.arraycopy(shape, 0, withViews, 1, shape.length);
      shape = withViews;
    }
    return new Sample(new HostTensor(input, shape), null, label, source);
  }

  /** Resamples the clip's frames into the (3, T, S, S) block at {@code off}, then jitters. */
  private void render(RgbFrame[] frames, int[] clip, SpatialPlan plan, Kernel k, float[] dst, int off, ColorJitter.Params jp) {
    int t = clip.length;
    int hw = plan.cropSize() * plan.cropSize();
    Taps xs = plan.xTaps(k);
    Taps ys = plan.yTaps(k);
    for (int i = 0; i < t; i++) {
      RgbFrame f = frames[clip[i]];
      Resampler.rgbToPlanes(f, xs, ys, dst, off + i * hw, t * hw);
      if (jp != null) {
        jitter.apply(dst, off + i * hw, t * hw, hw, jp, meanRgb(f));
      }
    }
  }

  private static double[] meanRgb(RgbFrame f) {
    long r = 0;
    long g = 0;
    long b = 0;
    byte[] d = f.data();
    int n = f.width() * f.height() * 3;
    for (int i = 0; i < n; i += 3) {
      r += d[i] & 0xFF;
      g += d[i + 1] & 0xFF;
      b += d[i + 2] & 0xFF;
    }
    double px = (double) f.width() * f.height();
    return new double[] {r / px, g / px, b / px};
  }

  /** The tokenizer copy {@code (T, 3, s, s)} in [0, 1] from the un-normalised (3, T, S, S) crop. */
  private float[] tokenizerCopy(float[] input, int t) {
    int s = aug.cropSize();
    int hw = s * s;
    int ts = aug.tokenizerSize();
    int thw = ts * ts;
    float[] tok = new float[t * 3 * thw];
    for (int f = 0; f < t; f++) {
      for (int c = 0; c < 3; c++) {
        Resampler.plane(input, (c * t + f) * hw, s, s, tokX, tokY, tok, (f * 3 + c) * thw, 1f / 255f, 0f, 1f);
      }
    }
    return tok;
  }

  /** (x - mean[c]) / std[c] over consecutive blocks of 3 channel planes of {@code plane} values. */
  private void normalize(float[] data, int off, int plane) {
    int blocks = data.length / (3 * plane);
    for (int b = 0; b < blocks; b++) {
      for (int c = 0; c < 3; c++) {
        float inv = 1f / aug.std()[c];
        float shift = -aug.mean()[c] * inv;
        int o = off + (b * 3 + c) * plane;
        for (int i = 0; i < plane; i++) {
          data[o + i] = data[o + i] * inv + shift;
        }
      }
    }
  }
}
