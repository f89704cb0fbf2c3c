package org.bevt4j.core.train;

import java.util.Locale;
import org.bevt4j.core.ProgressListener;

/**
 * Shows the trainer's progress through a {@link ProgressListener}: one task per stage, advanced
 * every step, with the step's losses and throughput as the status (a progress bar with rate and ETA
 * on a terminal, periodic log lines otherwise).
 */
public final class ProgressTrainingListener implements TrainingListener {
  private final ProgressListener progress;
  private ProgressListener.Task task;

  public ProgressTrainingListener(ProgressListener progress) {
    this.progress = progress;
  }

  @Override
  public void onStageStart(String stage, int index, int count, long startStep, long totalSteps) {
    closeTask();
    task = progress.start("stage " + (index + 1) + "/" + count + " " + stage, startStep, totalSteps, "step");
  }

  @Override
  public void onStep(StepMetrics s) {
    if (task == null) {
      return;
    }
    task.update(s.stageStep());
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "loss %.3f", s.loss()));
    if (!Double.isNaN(s.videoLoss())) {
      sb.append(String.format(Locale.ROOT, " v %.3f", s.videoLoss()));
    }
    if (!Double.isNaN(s.imageLoss())) {
      sb.append(String.format(Locale.ROOT, " i %.3f", s.imageLoss()));
    }
    if (s.clipsPerSecond() > 0) {
      sb.append(String.format(Locale.ROOT, " | %.1f clips/s", s.clipsPerSecond()));
    }
    if (s.imagesPerSecond() > 0) {
      sb.append(String.format(Locale.ROOT, " %.1f img/s", s.imagesPerSecond()));
    }
    task.message(sb.toString());
  }

  @Override
  public void onStageEnd(String stage, int index) {
    closeTask();
  }

  private void closeTask() {
    if (task != null) {
      try {
        task.close();
      } catch (Exception e) {
        // a display problem must never stop training
      }
      task = null;
    }
  }
}
