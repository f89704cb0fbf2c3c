package org.bevt4j.core.train;

import org.bevt4j.api.StreamKind;

/**
 * Accumulates step outcomes between two log records and turns them into {@link StepMetrics}
 * (means over the window; throughput and data-wait over its wall time).
 */
final class MetricsWindow {
  private final TrainSettings settings;
  private int steps;
  private int normCount;
  private double loss;
  private double norm;
  private final double[] streamLoss = new double[2];
  private final int[] streamLossCount = new int[2];
  private final long[] correct = new long[2];
  private final long[] masked = new long[2];
  private final long[] samples = new long[2];
  private long waitNanos;
  private long wallNanos;
  private double lastLr;
  private double lastScale = 1;

  MetricsWindow(TrainSettings settings) {
    this.settings = settings;
  }

  void add(StepOutcome o, long stepWallNanos) {
    steps++;
    loss += o.totalLoss(settings);
    if (Double.isFinite(o.gradNorm())) {
      norm += o.gradNorm();
      normCount++;
    }
    o.streams().forEach((k, s) -> {
      int i = k.ordinal();
      if (Double.isFinite(s.loss())) {
        streamLoss[i] += s.loss();
        streamLossCount[i]++;
      }
      correct[i] += s.correct();
      masked[i] += s.masked();
      samples[i] += s.samples();
    });
    waitNanos += o.dataWaitNanos();
    wallNanos += stepWallNanos;
    lastLr = o.lr();
    lastScale = o.lossScale();
  }

  boolean isEmpty() {
    return steps == 0;
  }

  /** The window's metrics; {@code ctx} gives the positional fields. */
  StepMetrics snapshot(StepMetrics ctx, boolean hasVideo, boolean hasImage) {
    double secs = wallNanos / 1e9;
    double perStep = steps == 0 ? Double.NaN : secs / steps;
    int v = StreamKind.VIDEO.ordinal();
    int im = StreamKind.IMAGE.ordinal();
    return new StepMetrics(
        ctx.stage(),
        ctx.stageIndex(),
        ctx.stageCount(),
        ctx.step(),
        ctx.stageStep(),
        ctx.stageSteps(),
        ctx.epoch(),
        steps == 0 ? Double.NaN : loss / steps,
        hasVideo ? mean(streamLoss[v], streamLossCount[v]) : Double.NaN,
        hasImage ? mean(streamLoss[im], streamLossCount[im]) : Double.NaN,
        hasVideo && masked[v] > 0 ? correct[v] / (double) masked[v] : Double.NaN,
        hasImage && masked[im] > 0 ? correct[im] / (double) masked[im] : Double.NaN,
        lastLr,
        normCount == 0 ? Double.NaN : norm / normCount,
        hasVideo && secs > 0 ? samples[v] / secs : Double.NaN,
        hasImage && secs > 0 ? samples[im] / secs : Double.NaN,
        secs > 0 ? Math.min(1.0, waitNanos / (double) wallNanos) : Double.NaN,
        perStep,
        perStep * (ctx.stageSteps() - ctx.stageStep()),
        lastScale,
        ctx.skippedSteps());
  }

  private static double mean(double sum, int n) {
    return n == 0 ? Double.NaN : sum / n;
  }
}
