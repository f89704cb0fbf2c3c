package org.bevt4j.core.tokenizer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.MetricsSink;
import org.bevt4j.api.tokenizer.FeatureNetwork;
import org.bevt4j.api.tokenizer.TrainableTokenizer;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.data.loader.LoaderCursor;
import org.bevt4j.core.metrics.CsvMetricsSink;
import org.bevt4j.core.metrics.JsonlMetricsSink;
import org.bevt4j.core.metrics.MetricsHistory;
import org.bevt4j.core.optim.AdamW;
import org.bevt4j.core.optim.LrSchedule;
import org.bevt4j.core.optim.ParamGroups;
import org.bevt4j.io.StateDictBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bevt4j train-tokenizer --type peco|dalle}: trains a tokenizer on frames of the configured
 * dataset and writes a weights file its tokenizer plugin loads like released weights.
 *
 * <p>Run directory: {@code tokenizer.safetensors} (the result), {@code tokenizer.conf} (a config
 * fragment selecting it), {@code tokenizer.json} (config hash, timings, PSNR, codebook usage and
 * perplexity, the same for the untrained initialisation), {@code comparison.md}
 * ({@code TokenizerComparison} trained vs untrained), {@code reconstructions.png},
 * {@code samples/step-N.png}, {@code plots/*.png}, {@code metrics.jsonl}/{@code .csv},
 * {@code checkpoints/step-N/}. With {@code cache = true} a run directory whose
 * {@code tokenizer.json} has the same config hash is reused without training; with
 * {@code resume = auto} an interrupted run continues from its latest valid checkpoint (same hash).
 */
public final class TokenizerTraining {
  private static final Logger LOG = LoggerFactory.getLogger("org.bevt4j.tokenizer-training");
  public static final String WEIGHTS = "tokenizer.safetensors";
  public static final String CONF = "tokenizer.conf";
  public static final String SUMMARY = "tokenizer.json";

  private TokenizerTraining() {}

  /** Trains (or reuses a cached result) as the request says. */
  public static TokenizerTrainingResult run(TokenizerTrainingRequest req) {
    TrainingPlan plan = TrainingPlan.of(req);
    TokenizerTrainingSettings s = plan.settings();
    Path dir = plan.runDir();
    Optional<TokenizerTrainingResult> cached = RunOutputs.cached(plan);
    if (cached.isPresent()) {
      LOG.info("reusing the trained {} tokenizer in {} (config hash {} matches; set bevt.tokenizer-training.cache = false to retrain)",
          s.type(), dir, plan.hash().substring(0, 12));
      return cached.get();
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the run directory " + dir, e);
    }
    try (NDManager manager = req.context().manager().newSubManager()) {
      manager.setName("tokenizer-training");
      return train(req, plan, new TrainingBuildContext(req.context(), null, manager));
    }
  }

  /** Builds everything in {@code base}'s manager (closed by the caller) and trains. */
  private static TokenizerTrainingResult train(TokenizerTrainingRequest req, TrainingPlan plan, TrainingBuildContext base) {
    TokenizerTrainingSettings s = plan.settings();
    Path dir = plan.runDir();
    NDManager manager = base.manager();
    Engine.getInstance().setRandomSeed((int) s.seed());
    FeatureNetwork network = plan.networkBlock() == null ? null
        : req.components().networks().get(s.perceptualNetwork()).create(plan.networkBlock(), base);
    if (network != null) {
      LOG.info("perceptual network: {}", network.describe());
    }
    TrainingBuildContext ctx = base.withNetwork(network);
    try (TrainableTokenizer tok = req.components().trainers().get(s.type()).create(plan.typeBlock(), ctx)) {
      Map<String, org.bevt4j.io.TensorData> initial = StateDictBinder.snapshot(tok);
      Config data = DatasetFrames.dataConfig(req.config(), s.data(), tok.inputSize(), s.batchSize());
      HostTensor eval = evalFrames(req, data, s);
      AdamW opt = new AdamW(ParamGroups.build(tok.trainableParameters(), s.weightDecay(), s.noDecay(), true, ParamGroups.NO_LR_SCALE),
          s.beta1(), s.beta2(), s.eps(), manager);
      LrSchedule schedule = new LrSchedule(LrSchedule.Type.fromConfigName(s.schedule()), s.lr(), s.minLr(), s.steps(),
          s.warmupSteps(), s.warmupStartFactor());
      CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), s.keepCheckpoints());
      long start = 0;
      LoaderCursor cursor = null;
      Optional<Checkpoint> ck = s.resume() ? store.latestValid() : Optional.empty();
      if (ck.isPresent() && plan.hash().equals(str(ck.get(), "config-hash")) && ck.get().step() <= s.steps()) {
        StateDictBinder.bindStrict(tok, ck.get().model());
        opt.load(ck.get().optimizer());
        start = ck.get().step();
        String c = str(ck.get(), "cursor");
        cursor = c == null || c.isEmpty() ? null : LoaderCursor.parse(c);
        Engine.getInstance().setRandomSeed((int) (s.seed() + start));
        LOG.info("resuming {} from {} (step {})", s.type(), ck.get().dir(), start);
      } else if (ck.isPresent()) {
        LOG.warn("ignoring checkpoint {}: it belongs to another configuration (config hash differs); training from scratch",
            ck.get().dir());
      }
      LOG.info("training a {} tokenizer{}: {} steps x {} frames of {}x{} ({} stream), vocab {}, {} trainable parameters, run dir {}",
          s.type(), s.preset() == null ? "" : " (preset " + s.preset() + ")", s.steps(), s.batchSize(), tok.inputSize(),
          tok.inputSize(), s.data().stream(), tok.vocabSize(),
          tok.trainableParameters().values().stream().mapToLong(p -> p.shape().size()).sum(), dir);
      TrainingLoop loop = new TrainingLoop(tok, s, manager, dir, plan.hash());
      if (start > 0) {
        truncateMetrics(dir, start, loop);
      }
      List<MetricsSink.Writer> sinks = openSinks(dir, start > 0);
      double seconds;
      try (FrameSource frames = DatasetFrames.open(b -> req.components().datasets().apply(b, ctx), data, s.data().stream(),
          s.batchSize(), s.seed(), cursor)) {
        seconds = loop.run(start, frames, eval, opt, schedule, store, sinks, req.progress());
      } finally {
        for (MetricsSink.Writer w : sinks) {
          try {
            w.close();
          } catch (IOException e) {
            LOG.warn("cannot close metrics: {}", e.getMessage());
          }
        }
        opt.close();
      }
      return RunOutputs.finish(plan, req, tok, ctx, initial, eval, loop, seconds);
    } finally {
      if (network != null) {
        network.close();
      }
    }
  }

  private static String str(Checkpoint ck, String key) {
    var t = ck.trainer();
    return t != null && t.has(key) && !t.get(key).isJsonNull() ? t.get(key).getAsString() : null;
  }

  /** The held-out frames: a loader with its own seed, read before training. */
  private static HostTensor evalFrames(TokenizerTrainingRequest req, Config data, TokenizerTrainingSettings s) {
    TrainingBuildContext ctx = new TrainingBuildContext(req.context(), null, null);
    try (DatasetFrames f = DatasetFrames.open(b -> req.components().datasets().apply(b, ctx), data, s.data().stream(),
        s.batchSize(), s.seed() ^ 0x5DEECE66DL, null)) {
      List<float[]> parts = new ArrayList<>();
      long[] shape = null;
      int have = 0;
      while (have < s.evalFrames()) {
        HostTensor h = f.nextHost();
        shape = h.shape();
        parts.add(h.data());
        have += (int) h.shape()[0];
      }
      int n = s.evalFrames();
      int per = (int) (shape[1] * shape[2] * shape[3]);
      float[] all = new float[n * per];
      int off = 0;
      for (float[] p : parts) {
        int m = Math.min(p.length, all.length - off);
        System.arraycopy(p, 0, all, off, m);
        off += m;
      }
      return new HostTensor(all, new long[] {n, shape[1], shape[2], shape[3]});
    }
  }

  private static List<MetricsSink.Writer> openSinks(Path dir, boolean resumed) {
    List<MetricsSink.Writer> out = new ArrayList<>();
    for (MetricsSink sink : List.of(new JsonlMetricsSink(), new CsvMetricsSink())) {
      try {
        out.add(sink.open(dir, resumed));
      } catch (IOException e) {
        LOG.warn("cannot open metrics sink {}: {}", sink.name(), e.getMessage());
      }
    }
    return out;
  }

  private static void truncateMetrics(Path dir, long step, TrainingLoop loop) {
    try {
      MetricsHistory.truncateAfter(dir, step);
      loop.records.addAll(MetricsHistory.read(dir));
    } catch (IOException e) {
      LOG.warn("cannot read earlier metrics: {}", e.getMessage());
    }
  }
}
