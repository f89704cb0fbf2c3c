package org.bevt4j.core.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TrainingEvent;
import org.bevt4j.core.checkpoint.CheckpointException;
import org.bevt4j.core.optim.AdamW;
import org.bevt4j.core.optim.LossScaler;
import org.bevt4j.core.optim.LrSchedule;
import org.bevt4j.core.optim.OptimParam;
import org.bevt4j.core.optim.ParamGroups;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.StateDict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one stage: applies its {@code init}, opens its batch sources, builds a fresh AdamW and
 * schedule (or restores them from a checkpoint), runs the steps with logging, periodic
 * checkpoints and the stop check, and writes a checkpoint at the end of the stage.
 *
 * <p>Data-parallel: after the init (or the restore) every rank takes rank 0's model (and optimizer
 * state), the stop check is agreed by all ranks before every step, and only rank 0 writes
 * checkpoints while the others wait for it at a barrier.
 */
final class StageLoop {
  private static final Logger LOG = LoggerFactory.getLogger("org.bevt4j.train");

  private final RunContext ctx;
  private final StageSettings stage;
  private final int index;
  private final int count;

  StageLoop(RunContext ctx, StageSettings stage, int index, int count) {
    this.ctx = ctx;
    this.stage = stage;
    this.index = index;
    this.count = count;
  }

  /**
   * Runs the stage from its start ({@code resume == null}) or from a checkpoint taken inside it.
   * Returns false when a stop was requested (a checkpoint has been written).
   */
  boolean run(TrainerState resume, StateDict resumeOptimizer) {
    TrainSettings ts = ctx.settings;
    DataParallel dp = ctx.dp;
    if (resume == null) {
      applyInit();
    }
    dp.broadcastModel(ctx.model);
    Map<StreamKind, BatchSource> sources = new EnumMap<>(StreamKind.class);
    try {
      for (StreamKind s : stage.streams()) {
        long seed = Rngs.derive(ts.seed(), Rngs.DATA, index, s.ordinal());
        sources.put(s, ctx.sources.open(s, ctx.model.components().dataset(s), ts.batchSize(s), seed));
      }
      long itersPerEpoch = sources.get(stage.primary()).batchesPerEpoch();
      long stepsPerEpoch = Math.max(1, itersPerEpoch / ts.accumulate());
      long total = stage.steps() > 0 ? stage.steps() : Math.max(1, Math.round(stage.epochs() * stepsPerEpoch));
      OptimizerSettings o = ts.optimizer();
      LrSchedule schedule = ts.schedule().build(o.lr(), total, stepsPerEpoch);
      List<OptimParam> params = ParamGroups.build(ctx.model.trainableParameters(), o.weightDecay(), o.noDecay(), o.noDecay1d(), ParamGroups.NO_LR_SCALE);
      try (AdamW opt = new AdamW(params, o.beta1(), o.beta2(), o.eps(), o.implementation(), ctx.manager)) {
        LossScaler scaler = ctx.forcedScaler != null
            ? ctx.forcedScaler
            : ts.precision() == TrainSettings.Precision.FP16 ? LossScaler.standard(ts.fp16InitialScale(), ts.fp16GrowthInterval()) : null;
        long stageStep = 0;
        if (resume != null) {
          opt.load(resumeOptimizer);
          dp.broadcastOptimizer(opt);
          restoreCursors(sources, resume.cursors());
          if (scaler != null && resume.lossScaler() != null) {
            scaler.restore(resume.lossScaler());
          }
          stageStep = resume.stageStep();
          if (resume.stageSteps() != total) {
            LOG.warn("stage {} was planned with {} steps when checkpointed, now {} (data or config changed?)", stage.name(), resume.stageSteps(), total);
          }
        }
        if (schedule.warmupSteps() > total) {
          LOG.warn("stage {}: the warm-up ({} steps) is longer than the stage ({} steps); the learning rate never reaches its peak",
              stage.name(), schedule.warmupSteps(), total);
        }
        long decayed = params.stream().filter(p -> p.weightDecay() > 0).count();
        LOG.info(
            "stage {} ({}/{}): streams {}, {} steps ({} per epoch of {} batches), {}; {} parameter tensors ({} with weight decay){}",
            stage.name(), index + 1, count, stage.streams().stream().map(StreamKind::configName).toList(), total, stepsPerEpoch, itersPerEpoch, schedule, params.size(), decayed,
            resume != null ? ", resuming at step " + stageStep : "");
        for (TrainingListener l : ctx.listeners) {
          l.onStageStart(stage.name(), index, count, stageStep, total);
        }
        ctx.fire(TrainingEvent.Phase.STAGE_START, stage.name(), total);
        StepRunner runner = new StepRunner(ctx.model, ts, opt, schedule, scaler, ctx.manager, dp);
        if (runner.reducer() != null) {
          LOG.info("{}data-parallel over {} ranks: {} gradient values per step in {} bucket(s) of up to {} MiB",
              dp.tag(), dp.world(), runner.reducer().totalFloats(), runner.reducer().bucketCount(), dp.bucketBytes / (1024 * 1024.0));
        }
        MetricsWindow window = new MetricsWindow(ts);
        CommShare share = new CommShare();
        while (stageStep < total) {
          if (dp.agreeStop(ctx.guard.stopRequested())) {
            share.log(dp, stage.name());
            if (!window.isEmpty()) {
              ctx.log(window.snapshot(position(stageStep, total, itersPerEpoch, scaler), has(StreamKind.VIDEO), has(StreamKind.IMAGE)));
            }
            if (ctx.lastCheckpointStep != ctx.globalStep) {
              save(opt, sources, scaler, stageStep, total);
            }
            return false;
          }
          long t0 = System.nanoTime();
          StepOutcome out = runner.step(ctx.globalStep, stageStep, sources);
          long wall = System.nanoTime() - t0;
          share.add(out.commNanos(), wall);
          ctx.globalStep++;
          stageStep++;
          StepMetrics pos = position(stageStep, total, itersPerEpoch, scaler);
          window.add(out, wall);
          if (!ctx.listeners.isEmpty()) {
            MetricsWindow single = new MetricsWindow(ts);
            single.add(out, wall);
            StepMetrics one = single.snapshot(pos, has(StreamKind.VIDEO), has(StreamKind.IMAGE));
            for (TrainingListener l : ctx.listeners) {
              l.onStep(one);
            }
          }
          if (stageStep % ts.logEvery() == 0 || stageStep == total) {
            ctx.log(window.snapshot(pos, has(StreamKind.VIDEO), has(StreamKind.IMAGE)));
            window = new MetricsWindow(ts);
          }
          ctx.fire(TrainingEvent.Phase.STEP_END, stage.name(), total);
          if (ts.checkpointEvery() > 0 && ctx.globalStep % ts.checkpointEvery() == 0 && stageStep < total) {
            save(opt, sources, scaler, stageStep, total);
          }
        }
        if (ctx.lastCheckpointStep != ctx.globalStep) {
          save(opt, sources, scaler, stageStep, total);
        }
        share.log(dp, stage.name());
        for (TrainingListener l : ctx.listeners) {
          l.onStageEnd(stage.name(), index);
        }
        ctx.fire(TrainingEvent.Phase.STAGE_END, stage.name(), total);
        return true;
      }
    } finally {
      sources.values().forEach(BatchSource::close);
    }
  }

  private boolean has(StreamKind s) {
    return stage.has(s);
  }

  private StepMetrics position(long stageStep, long total, long itersPerEpoch, LossScaler scaler) {
    double epoch = stageStep * (double) ctx.settings.accumulate() / itersPerEpoch;
    double nan = Double.NaN;
    return new StepMetrics(
        stage.name(), index, count, ctx.globalStep, stageStep, total, epoch, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan,
        scaler == null ? 1.0 : scaler.scale(), scaler == null ? 0 : scaler.skipped());
  }

  private void applyInit() {
    switch (stage.init()) {
      case NONE -> { }
      case INFLATE_FROM_PREVIOUS -> {
        BindReport r = ctx.model.inflateBackbone();
        LOG.info("stage {}: backbone inflated from the previous stage ({})", stage.name(), r.describe().replace("\n", " "));
      }
      case WEIGHTS -> {
        Path p = ctx.paths.apply(stage.weights());
        StateDict sd;
        try {
          sd = StateDict.load(p);
        } catch (RuntimeException e) {
          throw new BevtException("stage " + stage.name() + ": cannot load init weights " + p + ": " + e.getMessage(), e);
        }
        BindReport r = ctx.model.loadInitialWeights(sd);
        LOG.info("stage {}: initial weights from {}: {}", stage.name(), p, r.describe());
      }
      default -> throw new IllegalStateException(String.valueOf(stage.init()));
    }
  }

  private void restoreCursors(Map<StreamKind, BatchSource> sources, JsonObject cursors) {
    for (Map.Entry<StreamKind, BatchSource> e : sources.entrySet()) {
      JsonElement c = cursors == null ? null : cursors.get(e.getKey().configName());
      if (c == null) {
        throw new CheckpointException("checkpoint has no data cursor for the " + e.getKey().configName() + " stream of stage " + stage.name());
      }
      e.getValue().restore(c);
    }
  }

  private void save(AdamW opt, Map<StreamKind, BatchSource> sources, LossScaler scaler, long stageStep, long total) {
    ctx.dp.checkReplicas(ctx.model, ctx.globalStep);
    if (!ctx.dp.isRoot()) {
      // rank 0 writes; the state is the same on every rank (the cursors too: all ranks advance together)
      ctx.dp.barrier();
      Path dir = ctx.store.dir().resolve("step-" + ctx.globalStep);
      ctx.lastCheckpoint = dir;
      ctx.lastCheckpointStep = ctx.globalStep;
      for (TrainingListener l : ctx.listeners) {
        l.onCheckpoint(dir, ctx.globalStep);
      }
      return;
    }
    JsonObject cursors = new JsonObject();
    sources.forEach((k, s) -> cursors.add(k.configName(), s.cursor()));
    TrainerState st = new TrainerState(
        ctx.globalStep, index, stage.name(), stageStep, total, ctx.settings.seed(), cursors, scaler == null ? null : scaler.toJson(),
        ctx.dp.world());
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "bevt4j-pretrain");
    meta.put("step", Long.toString(ctx.globalStep));
    meta.put("stage", stage.name());
    Path dir = ctx.store.save(ctx.globalStep, ctx.model.snapshot(), meta, opt.state(), opt.stateMetadata(), st.toJson());
    ctx.lastCheckpoint = dir;
    ctx.lastCheckpointStep = ctx.globalStep;
    LOG.info("checkpoint written: {}", dir);
    ctx.dp.barrier();
    for (TrainingListener l : ctx.listeners) {
      l.onCheckpoint(dir, ctx.globalStep);
    }
    ctx.fire(TrainingEvent.Phase.CHECKPOINT_SAVED, stage.name(), total);
  }
}
