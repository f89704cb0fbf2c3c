package org.bevt4j.core.tokenizer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.MetricsSink;
import org.bevt4j.api.tokenizer.TokenizerLoss;
import org.bevt4j.api.tokenizer.TrainableTokenizer;
import org.bevt4j.core.ProgressListener;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.optim.AdamW;
import org.bevt4j.core.optim.Gradients;
import org.bevt4j.core.optim.LrSchedule;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.nn.Param;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optimizer loop: per step, in one {@link NDScope}, a batch of frames, the tokenizer's loss
 * inside a gradient collector, backward, global-norm clipping, an AdamW step at the scheduled rate,
 * zeroed gradients, then {@link TrainableTokenizer#afterStep}. Every {@code log-every} steps a
 * record (window means, lr, gradient norm, codebook usage/perplexity, throughput, ETA) goes to the
 * log, the progress listener and the metrics sinks; every {@code checkpoint-every} steps a
 * checkpoint is written; every {@code sample-every} steps a reconstruction grid and the plots.
 */
final class TrainingLoop {
  private static final Logger LOG = LoggerFactory.getLogger("org.bevt4j.tokenizer-training");

  private final TrainableTokenizer tok;
  private final TokenizerTrainingSettings s;
  private final NDManager manager;
  private final Path runDir;
  private final String configHash;
  final List<Map<String, Object>> records = new ArrayList<>();
  long[] lastCounts;

  TrainingLoop(TrainableTokenizer tok, TokenizerTrainingSettings s, NDManager manager, Path runDir, String configHash) {
    this.tok = tok;
    this.s = s;
    this.manager = manager;
    this.runDir = runDir;
    this.configHash = configHash;
  }

  /**
   * Runs from {@code start} (steps already done) to {@code s.steps()}.
   *
   * @return seconds spent
   */
  double run(long start, FrameSource frames, HostTensor eval, AdamW opt, LrSchedule schedule, CheckpointStore store,
      List<MetricsSink.Writer> sinks, ProgressListener progress) {
    List<Param> params = opt.rawParams();
    TrainingWindow window = new TrainingWindow();
    long t0 = System.nanoTime();
    double gradNorm = Double.NaN;
    long step = start;
    try (ProgressListener.Task task = progress.start("train-tokenizer " + tok.type(), start, s.steps(), "step")) {
      while (step < s.steps()) {
        double lr = schedule.lr(step);
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          NDArray x = frames.next(manager);
          TokenizerLoss loss;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            loss = tok.loss(x, step);
            gc.backward(loss.total());
          }
          Map<String, Double> values = loss.values();
          double total = values.get("loss");
          if (!Double.isFinite(total)) {
            throw diverged(step + 1, "the loss", total);
          }
          boolean logNow = (step + 1) % s.logEvery() == 0 || step + 1 == s.steps();
          if (s.clipGradNorm() > 0) {
            gradNorm = Gradients.clipByGlobalNorm(params, s.clipGradNorm());
          } else if (logNow) {
            gradNorm = Gradients.globalNorm(params);
          }
          if (Double.isNaN(gradNorm) || Double.isInfinite(gradNorm)) {
            throw diverged(step + 1, "the gradient norm", gradNorm);
          }
          opt.step(lr);
          opt.zeroGrad();
          tok.afterStep(step);
          window.add(values, (int) x.getShape().get(0));
        }
        step++;
        task.update(step);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        if (step % s.logEvery() == 0 || step == s.steps()) {
          lastCounts = tok.takeCodeCounts();
          Map<String, Object> r = window.close(step, s.steps(), lr, gradNorm, lastCounts, elapsed);
          records.add(r);
          String line = TrainingWindow.line(r, s.steps());
          LOG.info(line);
          task.message(line.substring(line.indexOf('|') + 2));
          for (MetricsSink.Writer w : sinks) {
            try {
              w.write(r);
            } catch (IOException e) {
              LOG.warn("cannot write metrics: {}", e.getMessage());
            }
          }
        }
        if (s.checkpointEvery() > 0 && step % s.checkpointEvery() == 0 && step < s.steps()) {
          checkpoint(store, step, opt, frames);
        }
        if (s.sampleEvery() > 0 && step % s.sampleEvery() == 0 && step < s.steps()) {
          samples(eval, "samples/step-" + step + ".png");
        }
      }
    }
    checkpoint(store, step, opt, frames);
    return (System.nanoTime() - t0) / 1e9;
  }

  private BevtException diverged(long step, String what, double value) {
    return new BevtException("tokenizer training diverged at step " + step + ": " + what + " is " + value
        + "; stopping without a checkpoint (the last good one is kept). Lower bevt.tokenizer-training.optimizer.lr, "
        + "raise schedule.warmup-steps or set clip-grad-norm.");
  }

  void checkpoint(CheckpointStore store, long step, AdamW opt, FrameSource frames) {
    JsonObject trainer = new JsonObject();
    trainer.addProperty("kind", "tokenizer-training");
    trainer.addProperty("type", tok.type());
    trainer.addProperty("config-hash", configHash);
    trainer.addProperty("step", step);
    trainer.addProperty("cursor", frames.cursor());
    trainer.addProperty("seed", s.seed());
    Path dir = store.save(step, StateDictBinder.snapshot(tok), Map.of("bevt4j.tokenizer", tok.type()), opt.state(),
        opt.stateMetadata(), trainer);
    LOG.info("checkpoint {}", dir);
  }

  /** Writes the reconstruction grid of up to 8 eval frames (and refreshes the plots). */
  void samples(HostTensor eval, String relative) {
    int n = (int) Math.min(8, eval.shape()[0]);
    int size = (int) eval.shape()[2];
    TokenizerQuality q;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      long per = 3L * size * size;
      HostTensor few = new HostTensor(java.util.Arrays.copyOf(eval.data(), (int) (n * per)), new long[] {n, 3, size, size});
      q = TokenizerQuality.measure(tok, few, manager, n);
      ReconstructionGrid.write(ReconstructionGrid.render(few.data(), q.reconstructions(), n, size), runDir.resolve(relative));
    }
    try {
      TokenizerPlots.render(runDir, records, lastCounts, tok.vocabSize());
    } catch (IOException e) {
      LOG.warn("cannot render plots: {}", e.getMessage());
    }
  }
}
