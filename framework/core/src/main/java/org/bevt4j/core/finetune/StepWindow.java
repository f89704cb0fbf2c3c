package org.bevt4j.core.finetune;

/** Accumulates step outcomes between two log records and turns them into a {@link StepRecord}. */
final class StepWindow {
  private int steps;
  private double loss;
  private long correct;
  private long samples;
  private double norm;
  private int normCount;
  private long waitNanos;
  private long wallNanos;
  private double lastLr = Double.NaN;

  void add(FinetuneStep.Outcome o, long stepWallNanos) {
    steps++;
    loss += o.loss();
    correct += o.correct();
    samples += o.samples();
    if (Double.isFinite(o.gradNorm())) {
      norm += o.gradNorm();
      normCount++;
    }
    waitNanos += o.dataWaitNanos();
    wallNanos += stepWallNanos;
    lastLr = o.lr();
  }

  boolean isEmpty() {
    return steps == 0;
  }

  StepRecord snapshot(long step, long totalSteps, double epoch) {
    double secs = wallNanos / 1e9;
    double perStep = steps == 0 ? Double.NaN : secs / steps;
    return new StepRecord(
        step,
        totalSteps,
        epoch,
        steps == 0 ? Double.NaN : loss / steps,
        samples == 0 ? Double.NaN : correct / (double) samples,
        lastLr,
        normCount == 0 ? Double.NaN : norm / normCount,
        secs > 0 ? samples / secs : Double.NaN,
        wallNanos > 0 ? Math.min(1.0, waitNanos / (double) wallNanos) : Double.NaN,
        perStep,
        perStep * (totalSteps - step));
  }
}
