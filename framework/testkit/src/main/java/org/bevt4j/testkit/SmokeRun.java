package org.bevt4j.testkit;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.DecoderFactory;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.config.ConfigLoader;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.ParameterOwner;

/** One execution of a {@link PluginSmokeHarness}. */
final class SmokeRun {
  private final PluginSmokeHarness h;
  private final String type;

  SmokeRun(PluginSmokeHarness harness) {
    this.h = harness;
    this.type = harness.backboneFactory.name();
  }

  SmokeReport run() {
    Engine.getEngine("PyTorch").setRandomSeed((int) h.seed);
    try (RuntimeBuildContext ctx = new RuntimeBuildContext(Device.cpu(), h.seed, Path.of(""), rootConfig())) {
      Backbone backbone = h.backboneFactory.create(h.settings, ctx);
      check(backbone != null, "backbone factory \"" + type + "\" returned null");
      ctx.setBackbone(backbone);
      List<StreamKind> streams = streams(backbone);
      Map<StreamKind, Decoder> decoders = new EnumMap<>(StreamKind.class);
      for (StreamKind s : streams) {
        decoders.put(s, buildDecoder(s, backbone, ctx));
      }
      Map<String, Param> trainable = trainable(backbone, decoders);
      List<SmokeReport.StreamResult> results = new ArrayList<>();
      Map<String, Double> norms;
      try (NDManager m = ctx.manager().newSubManager()) {
        Map<StreamKind, StreamData> data = new EnumMap<>(StreamKind.class);
        for (StreamKind s : streams) {
          data.put(s, prepare(m, s, backbone, decoders.get(s)));
        }
        Map<StreamKind, Double> effects = new EnumMap<>(StreamKind.class);
        for (StreamKind s : streams) {
          try (NDScope ignored = new NDScope()) {
            effects.put(s, evalChecks(s, backbone, decoders.get(s), data.get(s)));
          }
        }
        Map<StreamKind, Double> losses = new EnumMap<>(StreamKind.class);
        try (NDScope ignored = new NDScope()) {
          norms = gradientStep(streams, backbone, decoders, data, trainable, losses);
        }
        for (StreamKind s : streams) {
          StreamData d = data.get(s);
          results.add(new SmokeReport.StreamResult(s, d.input.getShape(), d.maskGrid, d.targetGrid, d.decodedShape, losses.get(s), effects.get(s)));
        }
      }
      return new SmokeReport(type, trainable.values().stream().mapToLong(p -> p.shape().size()).sum(), results, norms);
    }
  }

  private Config rootConfig() {
    return ConfigFactory.empty()
        .withValue("bevt.model.backbone.type", ConfigValueFactory.fromAnyRef(type))
        .withValue(ConfigUtil.joinPath("bevt", "model", "backbone", type), h.settings.root())
        .withFallback(ConfigLoader.coreReference())
        .resolve();
  }

  private List<StreamKind> streams(Backbone backbone) {
    List<StreamKind> out = new ArrayList<>(List.of(StreamKind.VIDEO));
    if (h.requireImageStream) {
      check(backbone.supportsImages(), "backbone \"" + type + "\" does not support the image stream (supportsImages() is false)");
    }
    if (h.imageStream && backbone.supportsImages()) {
      out.add(StreamKind.IMAGE);
    }
    return out;
  }

  private Decoder buildDecoder(StreamKind s, Backbone backbone, RuntimeBuildContext ctx) {
    DecoderFactory f = h.decoders.get(s);
    Config settings = h.decoderSettings.getOrDefault(s, ConfigFactory.empty());
    if (f == null) {
      String name = backbone.defaultDecoder(s);
      check(name != null && !name.isBlank(), "backbone \"" + type + "\" names no default " + s.configName() + " decoder");
      f = PluginExtensions.named(DecoderFactory.class, name, h.backboneFactory.getClass().getClassLoader());
    }
    check(f.stream() == s, "decoder \"" + f.name() + "\" serves the " + f.stream().configName() + " stream, not " + s.configName());
    Decoder d = f.create(settings, ctx);
    check(d != null, "decoder factory \"" + f.name() + "\" returned null");
    return d;
  }

  /** Trainable parameters of backbone and decoders, unique by identity, all initialised. */
  private Map<String, Param> trainable(Backbone backbone, Map<StreamKind, Decoder> decoders) {
    Map<String, Param> out = new LinkedHashMap<>();
    Set<Param> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    collect("backbone.", backbone, seen, out);
    decoders.forEach((s, d) -> collect("decoder." + s.configName() + ".", d, seen, out));
    check(!out.isEmpty(), "backbone \"" + type + "\" and its decoders have no trainable parameter");
    return out;
  }

  private static void collect(String prefix, ParameterOwner owner, Set<Param> seen, Map<String, Param> out) {
    owner.namedParameters().forEach((k, p) -> {
      check(p.isInitialized(), "parameter " + prefix + k + " " + p.shape() + " was not initialised by its factory (call initialize(manager))");
      if (seen.add(p) && p.isTrainable() && !p.isBuffer()) {
        out.put(prefix + k, p);
      }
    });
  }

  /** Inputs, mask, grids and a regression target of one stream. */
  private static final class StreamData {
    NDArray input;
    NDArray mask;
    TokenGrid maskGrid;
    TokenGrid targetGrid;
    NDArray target;
    Shape decodedShape;
  }

  private StreamData prepare(NDManager m, StreamKind s, Backbone backbone, Decoder decoder) {
    StreamData d = new StreamData();
    boolean video = s == StreamKind.VIDEO;
    int hh = video ? h.height : h.imageHeight;
    int ww = video ? h.width : h.imageWidth;
    Shape in = video ? new Shape(h.batch, 3, h.frames, hh, ww) : new Shape(h.batch, 3, hh, ww);
    d.input = SmokeInputs.normal(m, in, h.seed * 31 + s.ordinal());
    d.maskGrid = backbone.maskGrid(s, video ? h.frames : 1, hh, ww);
    check(d.maskGrid != null, s.configName() + " stream: maskGrid() returned null");
    check(video || d.maskGrid.t() == 1, "image stream: the mask grid must have t == 1, got " + d.maskGrid);
    d.mask = SmokeInputs.mask(m, s, h.batch, d.maskGrid, h.maskRatio, h.seed * 131 + s.ordinal());
    d.targetGrid = decoder.targetGrid(d.maskGrid);
    check(d.targetGrid != null, s.configName() + " decoder: targetGrid() returned null");
    TokenGrid expected = h.expectedTargetGrids.get(s);
    check(
        expected == null || expected.equals(d.targetGrid),
        s.configName() + " stream: the decoder's target grid " + d.targetGrid + " (for mask grid " + d.maskGrid
            + ") differs from the tokenizer grid " + expected);
    d.decodedShape = new Shape(h.batch, d.targetGrid.size(), decoder.featureDim());
    d.target = SmokeInputs.normal(m, d.decodedShape, h.seed * 17 + s.ordinal());
    return d;
  }

  private static BackboneOutput forward(Backbone b, StreamKind s, NDArray input, NDArray mask, boolean training) {
    BackboneOutput out = s == StreamKind.VIDEO ? b.forwardVideo(input, mask, training) : b.forwardImage(input, mask, training);
    check(out != null, s.configName() + " stream: the backbone returned no output");
    return out;
  }

  private NDArray decode(StreamKind s, Backbone b, Decoder dec, StreamData d, NDArray mask, boolean training) {
    NDArray y = dec.decode(forward(b, s, d.input, mask, training), training);
    check(
        y.getShape().equals(d.decodedShape),
        s.configName() + " stream: decoder output " + y.getShape() + ", expected " + d.decodedShape + " = (B, target grid "
            + d.targetGrid + " = " + d.targetGrid.size() + ", featureDim " + dec.featureDim() + ")");
    check(!y.isNaN().any().getBoolean() && !y.isInfinite().any().getBoolean(), s.configName() + " stream: non-finite decoder output");
    return y;
  }

  /** Eval mode: deterministic, works without a mask, and the mask changes the output. */
  private double evalChecks(StreamKind s, Backbone b, Decoder dec, StreamData d) {
    NDArray masked = decode(s, b, dec, d, d.mask, false);
    NDArray again = decode(s, b, dec, d, d.mask, false);
    NDArray plain = decode(s, b, dec, d, null, false);
    double scale = Math.max(1e-6, masked.abs().max().getFloat());
    double repeat = masked.sub(again).abs().max().getFloat();
    check(repeat <= 1e-5 * scale, s.configName() + " stream: two eval-mode forwards of the same input differ by " + repeat);
    double effect = masked.sub(plain).abs().max().getFloat();
    check(effect > 1e-6 * scale, s.configName() + " stream: masking does not change the output (is the mask token applied?)");
    return effect;
  }

  private Map<String, Double> gradientStep(
      List<StreamKind> streams,
      Backbone b,
      Map<StreamKind, Decoder> decoders,
      Map<StreamKind, StreamData> data,
      Map<String, Param> trainable,
      Map<StreamKind, Double> losses) {
    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray total = null;
      for (StreamKind s : streams) {
        StreamData d = data.get(s);
        NDArray y = decode(s, b, decoders.get(s), d, d.mask, h.training);
        NDArray loss = y.sub(d.target).square().mean();
        losses.put(s, (double) loss.getFloat());
        total = total == null ? loss : total.add(loss);
      }
      gc.backward(total);
    }
    Map<String, Double> norms = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Param> e : trainable.entrySet()) {
      double norm = gradientNorm(e.getValue());
      norms.put(e.getKey(), norm);
      if (Double.isNaN(norm) || Double.isInfinite(norm)) {
        throw new AssertionError("parameter " + e.getKey() + " has a non-finite gradient");
      }
      if (norm == 0 && !h.allowNoGradient.test(e.getKey())) {
        missing.add(e.getKey() + " " + e.getValue().shape());
      }
    }
    check(
        missing.isEmpty(),
        "no gradient reached " + missing.size() + " of " + trainable.size() + " trainable parameters (unused in forward,"
            + " detached by toType/toDevice, behind a zero-initialised layer, or a dropped branch — disable drop-path in"
            + " smoke settings): " + missing);
    return norms;
  }

  private static double gradientNorm(Param p) {
    NDArray g;
    try {
      g = p.array().getGradient();
    } catch (IllegalStateException e) {
      return 0;
    }
    try (g) {
      return Math.sqrt(g.square().sum().getFloat());
    }
  }

  static void check(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }
}
