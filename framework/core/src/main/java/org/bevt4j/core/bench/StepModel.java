package org.bevt4j.core.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.typesafe.config.Config;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.Masker;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.core.train.MaskedBatch;
import org.bevt4j.core.optim.AdamW;
import org.bevt4j.core.optim.Gradients;
import org.bevt4j.core.optim.LossScaler;
import org.bevt4j.core.optim.OptimParam;
import org.bevt4j.core.optim.ParamGroups;
import org.bevt4j.core.train.OptimizerSettings;
import org.bevt4j.core.train.TrainSettings;
import org.bevt4j.core.train.VocabularyHead;
import org.bevt4j.nn.Autocast;
import org.bevt4j.nn.NDManagerUtil;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.Scalars;

/**
 * One configured model of the step benchmark: the backbone, the decoder and masker of each stream
 * ({@link StepParts}, built from a {@link StepPreset} plus the user's settings), the vocabulary
 * head, an AdamW over every trainable parameter (hyper-parameters from {@code
 * bevt.train.optimizer}), and one fixed batch per stream: random pixels, masks from the configured
 * maskers, random target ids of the masked tokens.
 *
 * <p>A step ({@link #step}) is what the reference figures measure: forward of the chosen
 * streams with masked cross-entropy (mean over each stream's masked tokens, stream losses summed),
 * one backward, one AdamW update and zeroing of the gradients; no tokenizer and no clipping. With
 * {@code bevt.train.precision = fp16} the forward runs in an {@link Autocast} float16 region and the
 * step adds the trainer's dynamic loss scaling (scaled backward, unscale, overflow check).
 */
final class StepModel implements AutoCloseable {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** The timings of one step in ms; {@code cpuMs} is the process CPU time. */
  record Sample(double forwardMs, double backwardMs, double optimizerMs, double totalMs, double cpuMs, double load) {}

  /** One stream's fixed batch. */
  private record Batch(NDArray input, NDArray mask, NDArray rows, NDArray targets, long masked, Decoder decoder, FlopCount flops) {}

  private final StepPreset preset;
  private final StepParts parts;
  private final String attention;
  private final Backbone backbone;
  private final VocabularyHead head;
  private final AdamW optimizer;
  private final LossScaler scaler;
  private final double lr;
  private final long parameters;
  private final Map<StreamKind, Batch> batches = new EnumMap<>(StreamKind.class);

  /**
   * Builds the head and optimizer and draws the batches (weights, inputs and masks from {@code
   * seed}); the parts are closed with the model (also when this constructor fails).
   */
  StepModel(StepPreset preset, StepParts parts, long seed) {
    this.preset = preset;
    this.parts = parts;
    try {
      Config root = parts.root();
      String attentionKey = preset.settingsPath() + ".attention";
      this.attention = root.hasPath(attentionKey) ? root.getString(attentionKey) : "-";
      Engine.getInstance().setRandomSeed((int) seed);
      this.backbone = parts.backbone();
      Random rng = new Random(seed);
      long featureDim = -1;
      for (StreamKind s : StreamKind.values()) {
        int n = s == StreamKind.VIDEO ? preset.clips() : preset.images();
        if (n == 0) {
          continue;
        }
        if (s == StreamKind.IMAGE && !backbone.supportsImages()) {
          throw new BevtException("backbone " + preset.backbone() + " has no image stream; the " + preset.id() + " preset needs one");
        }
        Batch b = batch(s, n, root, rng);
        if (featureDim >= 0 && featureDim != b.decoder().featureDim()) {
          throw new BevtException("the video and image decoders of " + preset.id() + " differ in width");
        }
        featureDim = b.decoder().featureDim();
        batches.put(s, b);
      }
      this.head = new VocabularyHead(featureDim, preset.vocab());
      head.initialize(parts.manager());
      Map<String, Param> named = trainable();
      this.parameters = named.values().stream().mapToLong(p -> p.shape().size()).sum();
      TrainSettings ts = TrainSettings.from(root);
      OptimizerSettings o = ts.optimizer();
      this.scaler = ts.precision() == TrainSettings.Precision.FP16 ? LossScaler.standard(ts.fp16InitialScale(), ts.fp16GrowthInterval()) : null;
      List<OptimParam> params = ParamGroups.build(named, o.weightDecay(), o.noDecay(), o.noDecay1d(), ParamGroups.NO_LR_SCALE);
      this.lr = o.lr();
      this.optimizer = new AdamW(params, o.beta1(), o.beta2(), o.eps(), o.implementation(), parts.manager());
    } catch (RuntimeException | Error e) {
      parts.close();
      throw e;
    }
  }

  private Batch batch(StreamKind s, int n, Config root, Random rng) {
    NDManager m = parts.manager();
    int size = preset.resolution();
    int frames = s == StreamKind.VIDEO ? preset.frames() : 1;
    Shape shape = s == StreamKind.VIDEO ? new Shape(n, 3, frames, size, size) : new Shape(n, 3, size, size);
    NDArray input = keep(m.randomUniform(0f, 1f, shape, DataType.FLOAT32));
    Decoder decoder = parts.decoder(s);
    Masker masker = parts.masker(s);
    TokenGrid grid = backbone.maskGrid(s, frames, size, size);
    TokenGrid target = decoder.targetGrid(grid);
    boolean[] flags = new boolean[n * grid.size()];
    List<Long> rows = new ArrayList<>();
    int[] up = MaskedBatch.upsampleMap(grid, target);
    for (int i = 0; i < n; i++) {
      boolean[] f = masker.sample(grid, rng);
      System.arraycopy(f, 0, flags, i * grid.size(), grid.size());
      for (int j = 0; j < up.length; j++) {
        if (f[up[j]]) {
          rows.add((long) i * target.size() + j);
        }
      }
    }
    if (rows.isEmpty()) {
      throw new BevtException("the " + s.configName() + " masker masked nothing on the " + grid + " grid");
    }
    Shape maskShape = s == StreamKind.VIDEO ? new Shape(n, grid.t(), grid.h(), grid.w()) : new Shape(n, grid.h(), grid.w());
    NDArray mask = keep(m.create(flags, maskShape));
    long[] idx = rows.stream().mapToLong(Long::longValue).toArray();
    long[] ids = new long[idx.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(preset.vocab());
    }
    FlopCount flops = ModelFlops.supports(preset.backbone())
        ? ModelFlops.forward(root, preset.backbone(), s, n, frames, size)
        : null;
    return new Batch(input, mask, keep(m.create(idx)), keep(m.create(ids, new Shape(ids.length, 1))), idx.length, decoder, flops);
  }

  private static NDArray keep(NDArray a) {
    return NDManagerUtil.detachFromScope(a);
  }

  private Map<String, Param> trainable() {
    Map<String, Param> out = new LinkedHashMap<>();
    java.util.Set<Param> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    backbone.namedParameters().forEach((k, p) -> add(out, seen, "backbone." + k, p));
    batches.forEach((s, b) -> b.decoder().namedParameters().forEach((k, p) -> add(out, seen, "decoders." + s.configName() + "." + k, p)));
    head.namedParameters().forEach((k, p) -> add(out, seen, "cls_head." + k, p));
    return out;
  }

  private static void add(Map<String, Param> out, java.util.Set<Param> seen, String name, Param p) {
    if (p.isTrainable() && !p.isBuffer() && seen.add(p)) {
      out.put(name, p);
    }
  }

  StepPreset preset() {
    return preset;
  }

  /** The attention setting the model was built with ({@code -} when the backbone has none). */
  String attention() {
    return attention;
  }

  /** Whether steps run in fp16 mixed precision ({@code bevt.train.precision = fp16}). */
  boolean fp16() {
    return scaler != null;
  }

  /** The fp16 loss scaler (null in fp32). */
  LossScaler scaler() {
    return scaler;
  }

  /** Trainable parameters (unique). */
  long parameters() {
    return parameters;
  }

  /** Whether the preset has a batch of this stream. */
  boolean has(StreamKind s) {
    return batches.containsKey(s);
  }

  /** Masked target tokens of a stream's batch. */
  long masked(StreamKind s) {
    return batches.get(s).masked();
  }

  /** Training FLOPs of a step over {@code streams} (3× forward, see {@link FlopCount}); NaN if unknown. */
  double gflop(Set<StreamKind> streams) {
    long total = 0;
    for (StreamKind s : streams) {
      Batch b = batches.get(s);
      if (b.flops() == null) {
        return Double.NaN;
      }
      long fwd = Math.addExact(b.flops().total(), ModelFlops.head(b.masked(), b.decoder().featureDim(), preset.vocab()));
      total = Math.addExact(total, FlopCount.trainingStep(fwd));
    }
    return total / 1e9;
  }

  /** One training step over {@code streams}; returns its timings. */
  Sample step(Set<StreamKind> streams) {
    for (StreamKind s : streams) {
      if (!batches.containsKey(s)) {
        throw new IllegalArgumentException(preset.id() + " has no " + s.configName() + " batch");
      }
    }
    long cpu0 = OS.getProcessCpuTime();
    long t0 = System.nanoTime();
    long t1;
    long t2;
    try (NDScope scope = new NDScope();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = null;
      try (Autocast.Region region = Autocast.enable(fp16())) {
        for (StreamKind s : List.of(StreamKind.VIDEO, StreamKind.IMAGE)) {
          if (streams.contains(s)) {
            NDArray l = loss(s);
            loss = loss == null ? l : loss.add(l);
          }
        }
      }
      StepTimer.await(loss);
      t1 = System.nanoTime();
      gc.backward(scaler == null ? loss : Scalars.mul(loss, scaler.scale()));
      StepTimer.await(optimizer.rawParams().get(0).array());
      t2 = System.nanoTime();
    }
    if (scaler == null) {
      optimizer.step(lr);
    } else {
      // as the trainer: unscale, overflow check (one host sync), skip or update
      Gradients.scale(optimizer.rawParams(), 1.0 / scaler.scale());
      if (scaler.update(Gradients.allFinite(optimizer.rawParams()))) {
        optimizer.step(lr);
      }
    }
    optimizer.zeroGrad();
    StepTimer.await(optimizer.rawParams().get(0).array());
    long t3 = System.nanoTime();
    long cpu1 = OS.getProcessCpuTime();
    return new Sample((t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t3 - t0) / 1e6, (cpu1 - cpu0) / 1e6,
        OS.getSystemLoadAverage());
  }

  private NDArray loss(StreamKind s) {
    Batch b = batches.get(s);
    BackboneOutput out =
        s == StreamKind.VIDEO ? backbone.forwardVideo(b.input(), b.mask(), true) : backbone.forwardImage(b.input(), b.mask(), true);
    NDArray features = b.decoder().decode(out, true);
    Shape fs = features.getShape();
    NDArray selected = features.reshape(fs.get(0) * fs.get(1), fs.get(2)).get(new NDIndex("{}", b.rows()));
    NDArray logp = head.forward(selected).logSoftmax(1);
    return logp.gather(b.targets(), 1).neg().mean();
  }

  @Override
  public void close() {
    try {
      optimizer.close();
    } finally {
      parts.close();
    }
  }
}
