package org.bevt4j.core.finetune;

import java.util.Locale;
import org.bevt4j.core.ProgressListener;

/**
 * Shows fine-tuning progress through a {@link ProgressListener}: one task advanced every step, with
 * the step's loss, batch accuracy, throughput and the last validation top-1 as the status (a bar
 * with rate and ETA on a terminal, periodic log lines otherwise).
 */
public final class ProgressFinetuneListener implements FinetuneListener {
  private final ProgressListener progress;
  private ProgressListener.Task task;
  private String lastVal = "";

  public ProgressFinetuneListener(ProgressListener progress) {
    this.progress = progress;
  }

  @Override
  public void onStart(long startStep, long totalSteps) {
    close();
    task = progress.start("finetune", startStep, totalSteps, "step");
  }

  @Override
  public void onStep(StepRecord s) {
    if (task == null) {
      return;
    }
    task.update(s.step());
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "loss %.3f", s.loss()));
    if (Double.isFinite(s.accuracy())) {
      sb.append(String.format(Locale.ROOT, " acc %.0f%%", 100 * s.accuracy()));
    }
    if (Double.isFinite(s.clipsPerSecond())) {
      sb.append(String.format(Locale.ROOT, " | %.1f clips/s", s.clipsPerSecond()));
    }
    sb.append(lastVal);
    task.message(sb.toString());
  }

  @Override
  public void onEvaluation(EvalResult r) {
    lastVal = String.format(Locale.ROOT, " | val top-1 %.1f%%", 100 * r.top1());
  }

  @Override
  public void onEnd(FinetuneResult result) {
    close();
  }

  private void close() {
    if (task != null) {
      try {
        task.close();
      } catch (RuntimeException e) {
        // a display problem must never stop training
      }
      task = null;
    }
  }
}
