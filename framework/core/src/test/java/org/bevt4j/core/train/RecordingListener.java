package org.bevt4j.core.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Records per-step metrics, log lines and checkpoints. */
class RecordingListener implements TrainingListener {
  final List<StepMetrics> steps = new ArrayList<>();
  final List<String> lines = new ArrayList<>();
  final List<Long> checkpoints = new ArrayList<>();

  @Override
  public void onStep(StepMetrics step) {
    steps.add(step);
  }

  @Override
  public void onLog(StepMetrics window, String line) {
    lines.add(line);
  }

  @Override
  public void onCheckpoint(Path dir, long step) {
    checkpoints.add(step);
  }

  double[] losses() {
    return steps.stream().mapToDouble(StepMetrics::loss).toArray();
  }
}
