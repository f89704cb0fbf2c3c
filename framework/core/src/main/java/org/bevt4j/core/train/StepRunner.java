package org.bevt4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.dist.GradientReducer;
import org.bevt4j.core.optim.AdamW;
import org.bevt4j.core.optim.Gradients;
import org.bevt4j.core.optim.LossScaler;
import org.bevt4j.core.optim.LrSchedule;
import org.bevt4j.nn.Autocast;
import org.bevt4j.nn.Param;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one optimizer step of the dual-path recipe: {@code accumulate} micro-batches, each with one
 * batch per active stream (video first, as BEVT), every stream's loss back-propagated separately
 * (scaled by its weight, the loss scale and 1/accumulate; gradients add up), then unscale and
 * overflow check (fp16), global-norm clipping, the AdamW update and zeroing of the gradients.
 *
 * <p>With {@code precision = fp16} the model's forward (backbone, decoder, head) runs inside an
 * {@link Autocast} float16 region: Linear/Conv/attention products in float16 on casts made inside
 * the graph, norms, softmax and the loss in float32; gradients land on the float32 master weights,
 * which the optimizer updates as usual. The tokenizer's targets are computed in float32.
 *
 * <p>Randomness is derived from (seed, global step, micro-batch, stream, sample), never carried:
 * masks from {@link Rngs}, and the engine RNG (dropout, drop-path) reseeded before each forward.
 * Every micro-batch runs in its own {@link NDScope}, so memory stays flat.
 *
 * <p>Data-parallel ({@link DataParallel#active()}): each rank accumulates its own micro-batches;
 * then one small all-reduce sums the step's statistics and non-finite-loss flags (so every rank
 * logs global numbers and a divergence on any rank stops all of them at the same step), and the
 * {@link GradientReducer} averages the gradients, before unscaling, the overflow check and
 * clipping, which therefore see identical gradients on every rank. Mask RNGs are indexed by the
 * sample's position in the union of the ranks' micro-batches ({@code (micro · b + i) · world +
 * rank}, matching the interleaved shards of the data sources), so with a deterministic forward the
 * ranks together compute exactly the masks a single process with {@code world ×} the batch would.
 * The engine seed includes the rank, so dropout and drop-path differ between ranks.
 */
final class StepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);
  private static final List<StreamKind> ORDER = List.of(StreamKind.VIDEO, StreamKind.IMAGE);

  private final MaskedModelingModel model;
  private final TrainSettings settings;
  private final AdamW optimizer;
  private final LrSchedule schedule;
  private final LossScaler scaler;
  private final NDManager manager;
  private final DataParallel dp;
  private final GradientReducer reducer;
  private final Set<StreamKind> vocabChecked = EnumSet.noneOf(StreamKind.class);
  /** Per stream, micro-batches whose loss was not finite (data-parallel: decided after the step). */
  private final Map<StreamKind, Double> nonFinite = new EnumMap<>(StreamKind.class);

  StepRunner(
      MaskedModelingModel model,
      TrainSettings settings,
      AdamW optimizer,
      LrSchedule schedule,
      LossScaler scaler,
      NDManager manager,
      DataParallel dp) {
    this.model = model;
    this.settings = settings;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.scaler = scaler;
    this.manager = manager;
    this.dp = dp;
    this.reducer = dp.reducer(optimizer.rawParams());
  }

  /** The gradient reducer (null in a world of one). */
  GradientReducer reducer() {
    return reducer;
  }

  /**
   * @param globalStep optimizer steps completed in the run before this one
   * @param stageStep optimizer steps completed in the stage before this one (drives the schedule)
   * @param sources the batch sources of the stage's streams
   */
  StepOutcome step(long globalStep, long stageStep, Map<StreamKind, BatchSource> sources) {
    int accumulate = settings.accumulate();
    nonFinite.clear();
    double scale = scaler == null ? 1.0 : scaler.scale();
    Map<StreamKind, double[]> acc = new EnumMap<>(StreamKind.class);
    long wait = 0;
    for (int micro = 0; micro < accumulate; micro++) {
      for (StreamKind stream : ORDER) {
        BatchSource src = sources.get(stream);
        if (src == null) {
          continue;
        }
        long t0 = System.nanoTime();
        List<org.bevt4j.api.Sample> samples;
        try {
          samples = src.next();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot load a " + stream.configName() + " batch: " + e.getMessage(), e);
        }
        wait += System.nanoTime() - t0;
        int world = dp.world();
        int rank = dp.rank();
        long base = (long) micro * samples.size() * world + rank;
        long seed = settings.seed();
        int streamId = stream.ordinal();
        MaskedBatch batch = MaskedBatch.prepare(
            stream, samples, model.components(), i -> Rngs.random(seed, Rngs.MASK, globalStep, streamId, base + (long) i * world));
        double[] a = acc.computeIfAbsent(stream, k -> new double[5]);
        runMicroBatch(batch, globalStep, micro, scale, a);
        a[4] += samples.size();
      }
    }
    long comm = 0;
    if (dp.active()) {
      long t0 = System.nanoTime();
      wait = synchronize(acc, wait, globalStep);
      reducer.averageGradients();
      comm = System.nanoTime() - t0;
    }
    Map<StreamKind, StepOutcome.StreamStats> stats = new EnumMap<>(StreamKind.class);
    acc.forEach((k, a) -> stats.put(k, new StepOutcome.StreamStats(a[1] == 0 ? Double.NaN : a[0] / a[1], (long) a[2], (long) a[3], (long) a[4])));

    List<Param> params = optimizer.rawParams();
    double lr = schedule.lr(stageStep);
    if (scaler != null) {
      Gradients.scale(params, 1.0 / scale);
      boolean finite = Gradients.allFinite(params);
      if (!scaler.update(finite)) {
        optimizer.zeroGrad();
        LOG.warn("step {}: gradient overflow at loss scale {}; step skipped, scale lowered to {}", globalStep + 1, scale, scaler.scale());
        return new StepOutcome(false, lr, Double.NaN, scale, stats, wait, comm);
      }
    }
    double norm = Gradients.clipByGlobalNorm(params, settings.clipGradNorm());
    if (!Double.isFinite(norm)) {
      throw new TrainingDivergedException(globalStep + 1, "the gradient norm", norm);
    }
    optimizer.step(lr);
    optimizer.zeroGrad();
    return new StepOutcome(true, lr, norm, scale, stats, wait, comm);
  }

  /**
   * Sums the ranks' statistics into {@code acc} (in place) and their non-finite-loss flags; throws
   * on every rank when any rank saw a non-finite loss. Returns the mean data wait over the ranks.
   */
  private long synchronize(Map<StreamKind, double[]> acc, long wait, long globalStep) {
    int w = 6;
    double[] v = new double[1 + ORDER.size() * w];
    v[0] = wait;
    for (int s = 0; s < ORDER.size(); s++) {
      double[] a = acc.get(ORDER.get(s));
      if (a != null) {
        System.arraycopy(a, 0, v, 1 + s * w, 5);
      }
      v[1 + s * w + 5] = nonFinite.containsKey(ORDER.get(s)) ? 1 : 0;
    }
    dp.sum(v);
    StringBuilder bad = new StringBuilder();
    for (int s = 0; s < ORDER.size(); s++) {
      double[] a = acc.get(ORDER.get(s));
      if (a != null) {
        System.arraycopy(v, 1 + s * w, a, 0, 5);
      }
      double ranks = v[1 + s * w + 5];
      if (ranks > 0) {
        bad.append(bad.length() == 0 ? "" : " and ").append("the ").append(ORDER.get(s).configName())
            .append(String.format(java.util.Locale.ROOT, " loss (on %d of %d ranks)", (long) ranks, dp.world()));
      }
    }
    if (bad.length() > 0) {
      Double mine = nonFinite.values().stream().findFirst().orElse(Double.NaN);
      throw new TrainingDivergedException(globalStep + 1, bad + fp16Hint(), mine);
    }
    return (long) (v[0] / dp.world());
  }

  private String fp16Hint() {
    return settings.precision() == TrainSettings.Precision.FP16
        ? " (computed in fp16: an activation may have left the fp16 range of +-65504; try precision = fp32)"
        : "";
  }

  /** acc: [sum of losses, losses counted, correct, masked, samples]. */
  private void runMicroBatch(MaskedBatch batch, long globalStep, int micro, double scale, double[] acc) {
    StreamKind stream = batch.stream();
    try (NDScope scope = new NDScope()) {
      Engine.getInstance().setRandomSeed(dp.active()
          ? Rngs.intSeed(settings.seed(), Rngs.ENGINE, globalStep, micro, stream.ordinal(), dp.rank())
          : Rngs.intSeed(settings.seed(), Rngs.ENGINE, globalStep, micro, stream.ordinal()));
      NDArray targets = MaskedLoss.targets(batch, model.components(), manager);
      if (vocabChecked.add(stream)) {
        MaskedLoss.checkVocabulary(
            targets, model.components().tokenizer().vocabSize(), stream, model.components().tokenizer().getClass().getSimpleName());
      }
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        MaskedLoss.Result r;
        try (Autocast.Region region = Autocast.enable(settings.precision() == TrainSettings.Precision.FP16)) {
          r = MaskedLoss.forward(model, batch, targets, manager, true);
        }
        if (r.loss() == null) {
          LOG.warn("step {}: the {} masker masked nothing in micro-batch {}; it contributes no loss", globalStep + 1, stream.configName(), micro);
          return;
        }
        float value = r.loss().getFloat();
        if (!Float.isFinite(value)) {
          // the forward is not scaled: lowering the loss scale cannot help, so fp16 stops here too
          if (!dp.active()) {
            throw new TrainingDivergedException(globalStep + 1, "the " + stream.configName() + " loss" + fp16Hint(), value);
          }
          // decided with the other ranks after the step, so that all of them stop together
          LOG.error("{}step {}: the {} loss of micro-batch {} is {}", dp.tag(), globalStep + 1, stream.configName(), micro, value);
          nonFinite.putIfAbsent(stream, (double) value);
          return;
        }
        double factor = settings.lossWeight(stream) * scale / settings.accumulate();
        gc.backward(factor == 1.0 ? r.loss() : org.bevt4j.nn.Scalars.mul(r.loss(), factor));
        acc[0] += value;
        acc[1] += 1;
        acc[2] += r.correct().getLong();
        acc[3] += r.masked();
      }
    }
  }
}
