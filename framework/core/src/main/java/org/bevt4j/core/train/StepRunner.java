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
  private final Set<StreamKind> vocabChecked = EnumSet.noneOf(StreamKind.class);

  StepRunner(MaskedModelingModel model, TrainSettings settings, AdamW optimizer, LrSchedule schedule, LossScaler scaler, NDManager manager) {
    this.model = model;
    this.settings = settings;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.scaler = scaler;
    this.manager = manager;
  }

  /**
   * @param globalStep optimizer steps completed in the run before this one
   * @param stageStep optimizer steps completed in the stage before this one (drives the schedule)
   * @param sources the batch sources of the stage's streams
   */
  StepOutcome step(long globalStep, long stageStep, Map<StreamKind, BatchSource> sources) {
    int accumulate = settings.accumulate();
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
        long base = (long) micro * samples.size();
        long seed = settings.seed();
        int streamId = stream.ordinal();
        MaskedBatch batch =
            MaskedBatch.prepare(stream, samples, model.components(), i -> Rngs.random(seed, Rngs.MASK, globalStep, streamId, base + i));
        double[] a = acc.computeIfAbsent(stream, k -> new double[5]);
        runMicroBatch(batch, globalStep, micro, scale, a);
        a[4] += samples.size();
      }
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
        return new StepOutcome(false, lr, Double.NaN, scale, stats, wait);
      }
    }
    double norm = Gradients.clipByGlobalNorm(params, settings.clipGradNorm());
    if (!Double.isFinite(norm)) {
      throw new TrainingDivergedException(globalStep + 1, "the gradient norm", norm);
    }
    optimizer.step(lr);
    optimizer.zeroGrad();
    return new StepOutcome(true, lr, norm, scale, stats, wait);
  }

  /** acc: [sum of losses, losses counted, correct, masked, samples]. */
  private void runMicroBatch(MaskedBatch batch, long globalStep, int micro, double scale, double[] acc) {
    StreamKind stream = batch.stream();
    try (NDScope scope = new NDScope()) {
      Engine.getInstance().setRandomSeed(Rngs.intSeed(settings.seed(), Rngs.ENGINE, globalStep, micro, stream.ordinal()));
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
          String what = settings.precision() == TrainSettings.Precision.FP16
              ? "the " + stream.configName() + " loss (computed in fp16: an activation may have left the fp16 range of +-65504; try precision = fp32)"
              : "the " + stream.configName() + " loss";
          throw new TrainingDivergedException(globalStep + 1, what, value);
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
