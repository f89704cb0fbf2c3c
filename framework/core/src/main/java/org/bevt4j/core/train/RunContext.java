package org.bevt4j.core.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.MetricsSink;
import org.bevt4j.api.TrainingEvent;
import org.bevt4j.api.TrainingHook;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.optim.LossScaler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the stages of one run share: model, settings, outputs, callbacks and counters. */
final class RunContext {
  private static final Logger LOG = LoggerFactory.getLogger("org.bevt4j.train");

  final MaskedModelingModel model;
  final TrainSettings settings;
  final Path runDir;
  final NDManager manager;
  final CheckpointStore store;
  final List<TrainingListener> listeners;
  final List<TrainingHook> hooks;
  final List<MetricsSink.Writer> writers = new ArrayList<>();
  final ShutdownGuard guard;
  final BatchSourceFactory sources;
  final Function<String, Path> paths;
  final LossScaler forcedScaler;
  final DataParallel dp;
  long globalStep;
  Path lastCheckpoint;
  long lastCheckpointStep = -1;
  StepMetrics lastMetrics;

  RunContext(
      MaskedModelingModel model,
      TrainSettings settings,
      Path runDir,
      NDManager manager,
      CheckpointStore store,
      List<TrainingListener> listeners,
      List<TrainingHook> hooks,
      ShutdownGuard guard,
      BatchSourceFactory sources,
      Function<String, Path> paths,
      LossScaler forcedScaler,
      DataParallel dp) {
    this.model = model;
    this.settings = settings;
    this.runDir = runDir;
    this.manager = manager;
    this.store = store;
    this.listeners = List.copyOf(listeners);
    List<TrainingHook> sorted = new ArrayList<>(hooks);
    sorted.sort(Comparator.comparingInt(TrainingHook::priority));
    this.hooks = List.copyOf(sorted);
    this.guard = guard;
    this.sources = sources;
    this.paths = paths;
    this.forcedScaler = forcedScaler;
    this.dp = dp;
  }

  /** Runs the hooks in priority order with the latest logged metrics (on rank 0 only when data-parallel). */
  void fire(TrainingEvent.Phase phase, String stage, long totalSteps) {
    if (hooks.isEmpty() || !dp.isRoot()) {
      return;
    }
    Map<String, Object> metrics = lastMetrics == null ? Map.of() : lastMetrics.toRecord();
    TrainingEvent e = new TrainingEvent(phase, stage, globalStep, totalSteps, metrics, runDir);
    for (TrainingHook h : hooks) {
      try {
        h.onEvent(e);
      } catch (Exception ex) {
        throw new BevtException("training hook \"" + h.name() + "\" failed at " + phase + ": " + ex.getMessage(), ex);
      }
    }
  }

  /** Logs the line and feeds listeners and metrics sinks (rank 0 alone has sinks). */
  void log(StepMetrics window) {
    String line = LogLine.format(window);
    LOG.info(line);
    lastMetrics = window;
    Map<String, Object> record = window.toRecord();
    for (MetricsSink.Writer w : writers) {
      try {
        w.write(record);
      } catch (IOException e) {
        LOG.warn("cannot write metrics: {}", e.getMessage());
      }
    }
    for (TrainingListener l : listeners) {
      l.onLog(window, line);
    }
  }

  void closeWriters() {
    for (MetricsSink.Writer w : writers) {
      try {
        w.close();
      } catch (IOException e) {
        LOG.warn("cannot close metrics writer: {}", e.getMessage());
      }
    }
    writers.clear();
  }
}
