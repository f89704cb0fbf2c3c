package org.bevt4j.core.tokenizer;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Averages of the loss parts over one logging window, with throughput. */
final class TrainingWindow {
  private final Map<String, Double> sums = new LinkedHashMap<>();
  private int steps;
  private long frames;
  private long startNanos = System.nanoTime();

  void add(Map<String, Double> values, int batchFrames) {
    values.forEach((k, v) -> sums.merge(k, v, Double::sum));
    steps++;
    frames += batchFrames;
  }

  boolean isEmpty() {
    return steps == 0;
  }

  /** Frames per second since the window started. */
  double rate() {
    double s = (System.nanoTime() - startNanos) / 1e9;
    return s > 0 ? frames / s : Double.NaN;
  }

  /**
   * The window's record: step, mean of every value, lr, gradient norm, codebook usage and
   * perplexity of the window's assignments, throughput, elapsed time and ETA; then resets.
   */
  Map<String, Object> close(long step, long total, double lr, double gradNorm, long[] counts, double elapsed) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("step", step);
    sums.forEach((k, v) -> r.put(k, v / steps));
    r.put("lr", lr);
    if (Double.isFinite(gradNorm)) {
      r.put("grad_norm", gradNorm);
    }
    long assigned = 0;
    int used = 0;
    double h = 0;
    for (long c : counts) {
      assigned += c;
      used += c > 0 ? 1 : 0;
    }
    for (long c : counts) {
      if (c > 0) {
        double p = c / (double) assigned;
        h -= p * Math.log(p) / Math.log(2);
      }
    }
    r.put("usage", counts.length == 0 ? 0.0 : used / (double) counts.length);
    r.put("perplexity", Math.pow(2, h));
    double rate = rate();
    r.put("img_per_s", rate);
    r.put("elapsed_s", elapsed);
    if (Double.isFinite(rate) && rate > 0) {
      r.put("eta_s", (total - step) * (frames / (double) steps) / rate);
    }
    sums.clear();
    steps = 0;
    frames = 0;
    startNanos = System.nanoTime();
    return r;
  }

  /**
   * {@code step 120/600 | loss 0.41 (rec 0.31 / commit 0.02 / perceptual 0.8) | codes 78% ppl 54.2 | lr 9.8e-4 | grad 1.2 | 210 img/s | ETA 0:02:10}.
   */
  static String line(Map<String, Object> r, long total) {
    StringBuilder sb = new StringBuilder();
    sb.append("step ").append(r.get("step")).append('/').append(total);
    sb.append(" | loss ").append(num(r.get("loss")));
    StringBuilder parts = new StringBuilder();
    for (Map.Entry<String, Object> e : r.entrySet()) {
      String k = e.getKey();
      if (!k.equals("loss") && !TokenizerPlots.NOT_LOSS.contains(k)) {
        parts.append(parts.length() == 0 ? "" : " / ").append(k).append(' ').append(num(e.getValue()));
      }
    }
    if (parts.length() > 0) {
      sb.append(" (").append(parts).append(')');
    }
    if (r.containsKey("tau")) {
      sb.append(" | tau ").append(num(r.get("tau"))).append(" kl-w ").append(num(r.get("kl_weight")));
    }
    sb.append(String.format(Locale.ROOT, " | codes %.0f%% ppl %.1f", 100 * (Double) r.get("usage"), (Double) r.get("perplexity")));
    sb.append(" | lr ").append(String.format(Locale.ROOT, "%.2g", (Double) r.get("lr")));
    if (r.containsKey("grad_norm")) {
      sb.append(" | grad ").append(num(r.get("grad_norm")));
    }
    sb.append(String.format(Locale.ROOT, " | %.1f img/s", (Double) r.get("img_per_s")));
    if (r.get("eta_s") instanceof Double eta) {
      sb.append(" | ETA ").append(duration(eta));
    }
    return sb.toString();
  }

  static String num(Object o) {
    double d = ((Number) o).doubleValue();
    return Double.isFinite(d) ? String.format(Locale.ROOT, Math.abs(d) >= 100 ? "%.1f" : "%.3g", d) : String.valueOf(d);
  }

  /** {@code H:MM:SS}. */
  static String duration(double seconds) {
    long s = Math.max(0, Math.round(seconds));
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
