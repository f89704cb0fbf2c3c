package org.bevt4j.core.finetune;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.Dataset;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.data.loader.DataLoader;
import org.bevt4j.core.data.loader.LoaderCursor;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.bevt4j.core.optim.AdamW;
import org.bevt4j.core.optim.LrSchedule;
import org.bevt4j.core.train.Rngs;
import org.bevt4j.core.train.ShutdownGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step loop of one fine-tuning run: logging windows, periodic validation and checkpoints, the
 * stop check, and at the end the final validation, report and checkpoint.
 */
final class TrainLoop {
  private static final Logger LOG = LoggerFactory.getLogger("org.bevt4j.finetune");

  private final FinetuneModel model;
  private final FinetuneSettings settings;
  private final Dataset trainData;
  private final Dataset valData;
  private final LoaderSettings loader;
  private final NDManager manager;
  private final CheckpointStore store;
  private final List<FinetuneListener> listeners;
  private final Path runDir;
  private final Evaluator evaluator;
  private MetricsLog metrics;
  private Path lastCheckpoint;
  private long lastCheckpointStep = -1;
  private double bestTop1 = Double.NaN;
  private long bestStep = -1;
  private StepRecord lastTrain;

  TrainLoop(FinetuneModel model, FinetuneSettings settings, Dataset trainData, Dataset valData, LoaderSettings loader, NDManager manager,
      CheckpointStore store, List<FinetuneListener> listeners, Path runDir) {
    this.model = model;
    this.settings = settings;
    this.trainData = trainData;
    this.valData = valData;
    this.loader = loader;
    this.manager = manager;
    this.store = store;
    this.listeners = listeners;
    this.runDir = runDir;
    this.evaluator = new Evaluator(model, valData, loader, settings.evalBatchSize(), settings.maxViewsPerForward(), manager);
  }

  FinetuneResult run(AdamW opt, ShutdownGuard guard, Checkpoint resume, FinetuneState state, String initFrom, LayerIds ids, double decay) {
    LoaderCursor start = state == null ? LoaderCursor.start() : LoaderCursor.parse(state.cursor());
    long dataSeed = Rngs.derive(settings.seed(), Rngs.DATA, 0);
    try (DataLoader data = new DataLoader(trainData, loader, settings.batchSize(), dataSeed, 0, 1, start)) {
      long itersPerEpoch = data.batchesPerEpoch();
      long stepsPerEpoch = Math.max(1, itersPerEpoch / settings.accumulate());
      long total = settings.steps() > 0 ? settings.steps() : Math.max(1, Math.round(settings.epochs() * stepsPerEpoch));
      LrSchedule schedule = settings.schedule().build(settings.optimizer().lr(), total, stepsPerEpoch);
      if (schedule.warmupSteps() >= total) {
        LOG.warn("the warm-up ({} steps) is not shorter than the run ({} steps): the learning rate never reaches bevt.finetune.optimizer.lr",
            schedule.warmupSteps(), total);
      }
      long step = 0;
      if (resume != null) {
        opt.load(resume.optimizer());
        step = state.step();
        bestTop1 = state.bestTop1();
        bestStep = state.bestStep();
        if (state.totalSteps() != total) {
          LOG.warn("the run was planned with {} steps when checkpointed, now {} (data or config changed?)", state.totalSteps(), total);
        }
      }
      LOG.info("fine-tuning: {} classes, {} training and {} validation samples, {} steps ({} per epoch of {} batches of {}, accumulate {}), {}{}",
          model.numClasses(), trainData.size(), valData.size(), total, stepsPerEpoch, itersPerEpoch, settings.batchSize(), settings.accumulate(),
          schedule, resume != null ? ", resuming at step " + step : "");
      openMetrics(resume);
      try {
        for (FinetuneListener l : listeners) {
          l.onStart(step, total);
        }
        FinetuneStep runner = new FinetuneStep(model, settings, trainData.stream(), opt, schedule, manager);
        StepWindow window = new StepWindow();
        while (step < total) {
          if (guard.stopRequested()) {
            if (!window.isEmpty()) {
              log(window.snapshot(step, total, epoch(step, itersPerEpoch)));
            }
            if (lastCheckpointStep != step) {
              save(opt, data, step, total);
            }
            LOG.info("fine-tuning stopped at step {}; last checkpoint {}", step, lastCheckpoint);
            FinetuneResult r = new FinetuneResult(FinetuneResult.Status.STOPPED, step, total, resume == null ? null : resume.dir(), lastCheckpoint,
                null, lastTrain, null);
            listeners.forEach(l -> l.onEnd(r));
            return r;
          }
          long t0 = System.nanoTime();
          FinetuneStep.Outcome out = runner.run(step, data);
          long wall = System.nanoTime() - t0;
          step++;
          window.add(out, wall);
          if (!listeners.isEmpty()) {
            StepWindow single = new StepWindow();
            single.add(out, wall);
            StepRecord one = single.snapshot(step, total, epoch(step, itersPerEpoch));
            for (FinetuneListener l : listeners) {
              l.onStep(one);
            }
          }
          if (step % settings.logEvery() == 0 || step == total) {
            log(window.snapshot(step, total, epoch(step, itersPerEpoch)));
            window = new StepWindow();
          }
          if (settings.evalEvery() > 0 && step % settings.evalEvery() == 0 && step < total) {
            evaluate(step);
          }
          if (settings.checkpointEvery() > 0 && step % settings.checkpointEvery() == 0 && step < total) {
            save(opt, data, step, total);
          }
        }
        boolean alreadyFinished = state != null && state.complete();
        EvalResult fin = alreadyFinished ? evaluator.evaluate(step) : evaluate(step);
        if (alreadyFinished) {
          LOG.info("the run had already finished; {}", fin.line());
        }
        if (lastCheckpointStep != step && !alreadyFinished) {
          save(opt, data, step, total);
        }
        long samplesSeen = step * settings.accumulate() * (long) settings.batchSize();
        long paramCount = 0;
        for (var p : model.trainableParameters().values()) {
          paramCount += p.shape().size();
        }
        Path report = FinetuneReport.write(runDir, fin, new FinetuneReport.Summary(step, total, settings.testClips(), settings.testCrops(), initFrom,
            bestTop1, bestStep, lastTrain, samplesSeen, paramCount, decay));
        LOG.info("fine-tuning finished at step {}: val top-1 {}%, top-5 {}% ({}); report {}", step, pct(fin.top1()), pct(fin.top5()),
            fin.count() + " videos x " + fin.views() + " views", report);
        FinetuneResult r = new FinetuneResult(FinetuneResult.Status.COMPLETED, step, total, resume == null ? null : resume.dir(), lastCheckpoint,
            fin, lastTrain, report);
        listeners.forEach(l -> l.onEnd(r));
        return r;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the fine-tuning report into " + runDir + ": " + e.getMessage(), e);
      } finally {
        closeMetrics();
      }
    }
  }

  private static String pct(double d) {
    return String.format(java.util.Locale.ROOT, "%.2f", 100 * d);
  }

  private double epoch(long step, long itersPerEpoch) {
    return step * (double) settings.accumulate() / itersPerEpoch;
  }

  private EvalResult evaluate(long step) {
    EvalResult r = evaluator.evaluate(step);
    LOG.info(r.line());
    if (!Double.isFinite(bestTop1) || r.top1() > bestTop1) {
      bestTop1 = r.top1();
      bestStep = step;
    }
    write(r.toRecord());
    for (FinetuneListener l : listeners) {
      l.onEvaluation(r);
    }
    return r;
  }

  private void log(StepRecord rec) {
    String line = rec.line();
    LOG.info(line);
    lastTrain = rec;
    write(rec.toRecord());
    for (FinetuneListener l : listeners) {
      l.onLog(rec, line);
    }
  }

  private void write(Map<String, Object> record) {
    try {
      metrics.write(record);
    } catch (IOException e) {
      LOG.warn("cannot write metrics: {}", e.getMessage());
    }
  }

  private void openMetrics(Checkpoint resume) {
    try {
      metrics = MetricsLog.open(runDir, resume == null ? -1 : resume.step());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open metrics output in " + runDir + ": " + e.getMessage(), e);
    }
  }

  private void closeMetrics() {
    if (metrics != null) {
      try {
        metrics.close();
      } catch (IOException e) {
        LOG.warn("cannot close the metrics files: {}", e.getMessage());
      }
    }
  }

  private void save(AdamW opt, DataLoader data, long step, long total) {
    FinetuneState st = new FinetuneState(step, total, settings.seed(), data.cursor().toString(), model.numClasses(), bestTop1, bestStep);
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FinetuneState.FORMAT);
    meta.put("step", Long.toString(step));
    meta.put("num_classes", Integer.toString(model.numClasses()));
    Path dir = store.save(step, model.snapshot(), meta, opt.state(), opt.stateMetadata(), st.toJson());
    lastCheckpoint = dir;
    lastCheckpointStep = step;
    LOG.info("checkpoint written: {}", dir);
    for (FinetuneListener l : listeners) {
      l.onCheckpoint(dir, step);
    }
  }
}
