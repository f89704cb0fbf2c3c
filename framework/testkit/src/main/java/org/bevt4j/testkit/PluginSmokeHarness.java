package org.bevt4j.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.bevt4j.api.BackboneFactory;
import org.bevt4j.api.DecoderFactory;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;

/**
 * A smoke test of a backbone plugin, for plugin authors: builds the backbone from its factory and
 * settings, builds its decoders (the backbone's defaults, found through the plugin's
 * {@code META-INF/extensions.idx}, or given explicitly), then checks what the bevt4j trainer relies
 * on:
 *
 * <ol>
 *   <li>every parameter is initialised by the factories;
 *   <li>both streams forward with masks on the backbone's {@linkplain
 *       org.bevt4j.api.Backbone#maskGrid mask grid} (the image stream when the backbone supports it)
 *       and without masks, giving finite outputs;
 *   <li>each decoder's output is {@code (B, N, D)} with N = its {@linkplain
 *       org.bevt4j.api.Decoder#targetGrid target grid}'s size, D = its {@code featureDim()}, and — when
 *       expected grids are given — that grid equals the tokenizer's;
 *   <li>in eval mode the forward is deterministic and masking changes the output (the mask token is
 *       used);
 *   <li>one backward step of a loss over both streams reaches every trainable parameter of the
 *       backbone and the decoders with a finite, non-zero gradient.
 * </ol>
 *
 * <p>Any failure is an {@link AssertionError} naming the stream, parameter, shape or grid involved.
 * Needs the PyTorch engine on the test class path ({@code ai.djl.pytorch:pytorch-jni} and
 * {@code pytorch-native-cpu}, test scope). Disable stochastic depth and dropout in the smoke
 * settings: a dropped residual branch legitimately gets no gradient in a single step.
 *
 * <pre>{@code
 * SmokeReport r = PluginSmokeHarness.forBackbone(new MyBackboneFactory())
 *     .setSettings(PluginReference.of(MyBackboneFactory.class)
 *         .settings("bevt.model.backbone.my-vit", "depth = 1, embed-dim = 16, drop-path-rate = 0"))
 *     .optVideoInput(2, 4, 32, 32)
 *     .optImageInput(2, 32, 32)
 *     .run();
 * }</pre>
 */
public final class PluginSmokeHarness {
  final BackboneFactory backboneFactory;
  Config settings = ConfigFactory.empty();
  final Map<StreamKind, DecoderFactory> decoders = new EnumMap<>(StreamKind.class);
  final Map<StreamKind, Config> decoderSettings = new EnumMap<>(StreamKind.class);
  final Map<StreamKind, TokenGrid> expectedTargetGrids = new EnumMap<>(StreamKind.class);
  int batch = 2;
  int frames = 4;
  int height = 32;
  int width = 32;
  int imageHeight = 32;
  int imageWidth = 32;
  boolean imageStream = true;
  boolean requireImageStream;
  double maskRatio = 0.5;
  long seed = 7;
  boolean training = true;
  Predicate<String> allowNoGradient = name -> false;

  private PluginSmokeHarness(BackboneFactory factory) {
    this.backboneFactory = Objects.requireNonNull(factory, "backbone factory");
  }

  /** A harness for the backbone built by {@code factory}. */
  public static PluginSmokeHarness forBackbone(BackboneFactory factory) {
    return new PluginSmokeHarness(factory);
  }

  /** The backbone's settings subtree (what the host passes as {@code bevt.model.backbone.<type>}). */
  public PluginSmokeHarness setSettings(Config settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    return this;
  }

  /**
   * Uses {@code factory} (with {@code settings}, the subtree {@code bevt.model.decoder.<stream>.<type>})
   * for a stream instead of the backbone's default decoder.
   */
  public PluginSmokeHarness optDecoder(StreamKind stream, DecoderFactory factory, Config settings) {
    decoders.put(stream, Objects.requireNonNull(factory, "decoder factory"));
    decoderSettings.put(stream, settings == null ? ConfigFactory.empty() : settings);
    return this;
  }

  /** The video batch: {@code (batch, 3, frames, height, width)}; default 2 x 3 x 4 x 32 x 32. */
  public PluginSmokeHarness optVideoInput(int batch, int frames, int height, int width) {
    positive("batch", batch);
    positive("frames", frames);
    positive("height", height);
    positive("width", width);
    this.batch = batch;
    this.frames = frames;
    this.height = height;
    this.width = width;
    return this;
  }

  /** The image batch {@code (batch, 3, height, width)} (batch shared with video); default 32 x 32. */
  public PluginSmokeHarness optImageInput(int height, int width) {
    positive("height", height);
    positive("width", width);
    this.imageHeight = height;
    this.imageWidth = width;
    return this;
  }

  /** Whether to run the image stream when the backbone supports it (default true). */
  public PluginSmokeHarness optImageStream(boolean run) {
    this.imageStream = run;
    return this;
  }

  /** Fail unless the backbone supports the image stream (BEVT needs it; default false). */
  public PluginSmokeHarness optRequireImageStream(boolean require) {
    this.requireImageStream = require;
    return this;
  }

  /**
   * The token grid the tokenizer produces for this stream's input (e.g. 4x4x4 for a 4-frame clip
   * tokenized per frame on a 4x4 grid); the decoder's target grid must equal it.
   */
  public PluginSmokeHarness optExpectedTargetGrid(StreamKind stream, TokenGrid grid) {
    expectedTargetGrids.put(stream, Objects.requireNonNull(grid, "grid"));
    return this;
  }

  /** Fraction of mask positions set per sample (default 0.5; at least one set, one clear). */
  public PluginSmokeHarness optMaskRatio(double ratio) {
    if (!(ratio > 0 && ratio < 1)) {
      throw new IllegalArgumentException("mask ratio must be in (0, 1), got " + ratio);
    }
    this.maskRatio = ratio;
    return this;
  }

  /** Seed of the engine (parameter init) and of the inputs; default 7. */
  public PluginSmokeHarness optSeed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Whether the gradient step runs in training mode (default true). */
  public PluginSmokeHarness optTraining(boolean training) {
    this.training = training;
    return this;
  }

  /**
   * Parameters allowed to receive no gradient, by name ({@code backbone.<name>} or
   * {@code decoder.<stream>.<name>}), e.g. a separate key bias, whose gradient is exactly zero under
   * softmax attention.
   */
  public PluginSmokeHarness optAllowNoGradient(Predicate<String> allowed) {
    this.allowNoGradient = Objects.requireNonNull(allowed, "predicate");
    return this;
  }

  /**
   * Builds everything and runs the checks.
   *
   * @throws AssertionError naming what failed
   */
  public SmokeReport run() {
    return new SmokeRun(this).run();
  }

  private static void positive(String what, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, got " + v);
    }
  }
}
