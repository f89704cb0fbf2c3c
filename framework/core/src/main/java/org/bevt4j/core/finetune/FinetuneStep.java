package org.bevt4j.core.finetune;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.loader.DataLoader;
import org.bevt4j.core.data.loader.HostBatch;
import org.bevt4j.core.eval.Losses;
import org.bevt4j.core.optim.AdamW;
import org.bevt4j.core.optim.Gradients;
import org.bevt4j.core.optim.LrSchedule;
import org.bevt4j.core.train.Rngs;
import org.bevt4j.core.train.TrainingDivergedException;
import org.bevt4j.nn.Scalars;

/**
 * One optimizer step of fine-tuning: {@code accumulate} micro-batches, each forwarded in training
 * mode (dropout, drop path) inside its own {@link NDScope} and back-propagated with the
 * label-smoothed cross-entropy scaled by 1/accumulate (gradients add up), then global-norm
 * clipping, the AdamW update at the scheduled rate and zeroing of the gradients.
 *
 * <p>The engine RNG is reseeded before every micro-batch from (seed, step, micro-batch), so a
 * resumed run draws exactly what an uninterrupted one would.
 */
final class FinetuneStep {
  /** What one step did. */
  record Outcome(double loss, long correct, long samples, double lr, double gradNorm, long dataWaitNanos) {}

  private final FinetuneModel model;
  private final FinetuneSettings settings;
  private final StreamKind stream;
  private final AdamW optimizer;
  private final LrSchedule schedule;
  private final NDManager manager;

  FinetuneStep(FinetuneModel model, FinetuneSettings settings, StreamKind stream, AdamW optimizer, LrSchedule schedule, NDManager manager) {
    this.model = model;
    this.settings = settings;
    this.stream = stream;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.manager = manager;
  }

  /**
   * @param step optimizer steps completed before this one (drives the schedule and the RNG)
   */
  Outcome run(long step, DataLoader loader) {
    int accumulate = settings.accumulate();
    double lossSum = 0;
    long correct = 0;
    long samples = 0;
    long wait = 0;
    for (int micro = 0; micro < accumulate; micro++) {
      long t0 = System.nanoTime();
      HostBatch b = loader.next();
      wait += System.nanoTime() - t0;
      checkLabels(b);
      try (NDScope scope = new NDScope()) {
        Engine.getInstance().setRandomSeed(Rngs.intSeed(settings.seed(), Rngs.ENGINE, step, micro));
        NDArray x = fromHost(manager, b.input().data(), new Shape(b.input().shape()));
        long[] l = new long[b.size()];
        for (int i = 0; i < l.length; i++) {
          l[i] = b.labels()[i];
        }
        NDArray labels = manager.create(l);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray logits = model.logits(stream, x, true);
          NDArray loss = Losses.crossEntropy(logits, labels, settings.labelSmoothing());
          float value = loss.getFloat();
          if (!Float.isFinite(value)) {
            throw new TrainingDivergedException(step + 1, "the classification loss", value);
          }
          gc.backward(accumulate == 1 ? loss : Scalars.mul(loss, 1.0 / accumulate));
          lossSum += value;
          correct += logits.argMax(1).eq(labels).sum().getLong();
          samples += b.size();
        }
      }
    }
    double lr = schedule.lr(step);
    double norm = Gradients.clipByGlobalNorm(optimizer.rawParams(), settings.clipGradNorm());
    if (!Double.isFinite(norm)) {
      throw new TrainingDivergedException(step + 1, "the gradient norm", norm);
    }
    optimizer.step(lr);
    optimizer.zeroGrad();
    return new Outcome(lossSum / accumulate, correct, samples, lr, norm, wait);
  }

  private void checkLabels(HostBatch b) {
    int k = model.numClasses();
    for (int i = 0; i < b.size(); i++) {
      int l = b.labels()[i];
      if (l < 0 || l >= k) {
        throw new BevtException("training sample " + b.sources().get(i) + " has label " + l + ", outside the head's " + k + " classes [0, "
            + k + ")" + (l < 0 ? "; the training data must be labelled" : "; set bevt.finetune.num-classes"));
      }
    }
  }

  /**
   * A device array with host values. On CPU, DJL wraps a Java direct buffer whose alignment varies
   * from run to run; a copy into engine-allocated memory keeps alignment-sensitive kernels
   * bit-reproducible (see {@code MaskedLoss}).
   */
  static NDArray fromHost(NDManager manager, float[] values, Shape shape) {
    NDArray a = manager.create(values, shape);
    if (!a.getDevice().isGpu()) {
      NDArray copy = a.duplicate();
      a.close();
      return copy;
    }
    return a;
  }
}
