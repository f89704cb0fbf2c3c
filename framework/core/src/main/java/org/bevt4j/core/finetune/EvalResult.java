package org.bevt4j.core.finetune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.core.eval.ClassificationMetrics;

/**
 * One validation pass: multi-view top-1/top-5, per-class accuracy and the confusion matrix
 * ({@link ClassificationMetrics}), and the loss of the view-averaged probabilities.
 *
 * @param step optimizer steps completed when it ran
 * @param metrics accumulated over every validation video
 * @param loss mean negative log of the averaged probability of the true class
 * @param views views per video (clips x crops)
 * @param classes class names (index = label; may be empty)
 * @param seconds wall time of the pass
 */
public record EvalResult(long step, ClassificationMetrics metrics, double loss, int views, List<String> classes, double seconds) {
  public double top1() {
    return metrics.top1();
  }

  public double top5() {
    return metrics.top5();
  }

  public long count() {
    return metrics.count();
  }

  /** The metrics record written to {@code metrics.jsonl} ({@code kind = val}). */
  public Map<String, Object> toRecord() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("step", step);
    r.put("kind", "val");
    r.put("val_loss", loss);
    r.put("val_top1", top1());
    r.put("val_top5", top5());
    r.put("val_mean_class_acc", metrics.meanClassAccuracy());
    r.put("val_count", count());
    r.put("val_views", views);
    r.put("val_seconds", seconds);
    r.put("time", System.currentTimeMillis() / 1000.0);
    return r;
  }

  /** The log line, e.g. {@code val @ step 300: top-1 45.3% | top-5 90.6% | mean class 44.9% | loss 1.52 | 64 videos x 12 views in 3.1 s}. */
  public String line() {
    return String.format(java.util.Locale.ROOT,
        "val @ step %d: top-1 %.1f%% | top-5 %.1f%% | mean class %.1f%% | loss %.4g | %d videos x %d views in %.1f s",
        step, 100 * top1(), 100 * top5(), 100 * metrics.meanClassAccuracy(), loss, count(), views, seconds);
  }
}
