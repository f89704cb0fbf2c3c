package org.bevt4j.core.train;

import java.util.Locale;

/**
 * Formats the training log line of conventions §1.9, e.g.
 * {@code step 1200/75000 (ep 3) | loss 6.91 (video 7.02 / image 6.80) | acc video 10.2% / image 3.5% | lr 4.9e-4 | grad 1.23 | 212 clips/s 1480 img/s | data 12% | ETA 9:41:03}
 * (prefixed with {@code [stage]} when the run has several stages).
 */
public final class LogLine {
  private LogLine() {}

  public static String format(StepMetrics m) {
    StringBuilder sb = new StringBuilder();
    if (m.stageCount() > 1) {
      sb.append('[').append(m.stage()).append("] ");
    }
    sb.append("step ").append(m.stageStep()).append('/').append(m.stageSteps());
    sb.append(" (ep ").append((long) Math.floor(m.epoch()) + 1).append(')');
    sb.append(" | loss ").append(num(m.loss()));
    boolean v = Double.isFinite(m.videoLoss());
    boolean i = Double.isFinite(m.imageLoss());
    if (v && i) {
      sb.append(" (video ").append(num(m.videoLoss())).append(" / image ").append(num(m.imageLoss())).append(')');
    } else if (v || i) {
      sb.append(v ? " (video)" : " (image)");
    }
    boolean av = Double.isFinite(m.videoAccuracy());
    boolean ai = Double.isFinite(m.imageAccuracy());
    if (av || ai) {
      sb.append(" | acc");
      if (av) {
        sb.append(" video ").append(pct(m.videoAccuracy()));
      }
      if (av && ai) {
        sb.append(" /");
      }
      if (ai) {
        sb.append(" image ").append(pct(m.imageAccuracy()));
      }
    }
    sb.append(" | lr ").append(lr(m.lr()));
    if (Double.isFinite(m.gradNorm())) {
      sb.append(" | grad ").append(num(m.gradNorm()));
    }
    if (m.lossScale() != 1.0) {
      sb.append(" | scale ").append(String.format(Locale.ROOT, "%.0f", m.lossScale()));
    }
    StringBuilder tp = new StringBuilder();
    if (Double.isFinite(m.clipsPerSecond())) {
      tp.append(rate(m.clipsPerSecond())).append(" clips/s");
    }
    if (Double.isFinite(m.imagesPerSecond())) {
      if (tp.length() > 0) {
        tp.append(' ');
      }
      tp.append(rate(m.imagesPerSecond())).append(" img/s");
    }
    if (tp.length() > 0) {
      sb.append(" | ").append(tp);
    }
    if (Double.isFinite(m.dataWait())) {
      sb.append(" | data ").append(String.format(Locale.ROOT, "%.0f%%", 100 * m.dataWait()));
    }
    if (Double.isFinite(m.etaSeconds())) {
      sb.append(" | ETA ").append(duration(m.etaSeconds()));
    }
    return sb.toString();
  }

  static String num(double d) {
    return Double.isFinite(d) ? String.format(Locale.ROOT, Math.abs(d) >= 100 ? "%.1f" : "%.3g", d) : String.valueOf(d);
  }

  static String pct(double d) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * d);
  }

  static String lr(double d) {
    if (d == 0) {
      return "0";
    }
    if (Math.abs(d) < 0.01) {
      return String.format(Locale.ROOT, "%.1e", d).replace("e-0", "e-");
    }
    return String.format(Locale.ROOT, "%.3g", d);
  }

  static String rate(double d) {
    return d >= 10 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.2g", d);
  }

  /** {@code H:MM:SS}, with days as {@code Nd H:MM:SS}. */
  public static String duration(double seconds) {
    long s = Math.max(0, Math.round(seconds));
    long d = s / 86400;
    s %= 86400;
    String hms = String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    return d > 0 ? d + "d " + hms : hms;
  }
}
