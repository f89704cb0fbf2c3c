package org.bevt4j.core.finetune;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.bevt4j.core.eval.ClassificationMetrics;
import org.bevt4j.core.eval.ConfusionMatrixImage;

/**
 * The final report of a fine-tuning run: {@code finetune.json} (final validation top-1/top-5, mean
 * class accuracy, loss, per-class accuracy, confusion matrix, views, best validation top-1, the
 * training summary) and {@code plots/confusion.png}.
 */
public final class FinetuneReport {
  public static final String FILE = "finetune.json";
  public static final String CONFUSION = "confusion.png";

  private FinetuneReport() {}

  /** What the report says besides the final evaluation. */
  public record Summary(long step, long totalSteps, int testClips, int testCrops, String initFrom, double bestTop1, long bestStep,
      StepRecord lastTrain, long trainSamples, long parameters, double layerDecay) {}

  /** Writes both files; returns the JSON file. */
  public static Path write(Path runDir, EvalResult eval, Summary s) throws IOException {
    ClassificationMetrics m = eval.metrics();
    List<String> names = className(eval.classes(), m.numClasses());
    JsonObject o = new JsonObject();
    o.addProperty("step", s.step());
    o.addProperty("total_steps", s.totalSteps());
    o.addProperty("num_classes", m.numClasses());
    JsonObject val = new JsonObject();
    val.addProperty("top1", m.top1());
    val.addProperty("top5", m.top5());
    val.addProperty("mean_class_acc", m.meanClassAccuracy());
    val.addProperty("loss", eval.loss());
    val.addProperty("videos", m.count());
    val.addProperty("views_per_video", eval.views());
    val.addProperty("clips", s.testClips());
    val.addProperty("crops", s.testCrops());
    val.addProperty("seconds", eval.seconds());
    o.add("val", val);
    JsonObject perClass = new JsonObject();
    double[] acc = m.perClassAccuracy();
    for (int i = 0; i < acc.length; i++) {
      if (Double.isFinite(acc[i])) {
        perClass.addProperty(names.get(i), acc[i]);
      }
    }
    o.add("per_class_acc", perClass);
    JsonArray classes = new JsonArray();
    names.forEach(classes::add);
    o.add("classes", classes);
    JsonArray confusion = new JsonArray();
    for (long[] row : m.confusion()) {
      JsonArray r = new JsonArray();
      for (long v : row) {
        r.add(v);
      }
      confusion.add(r);
    }
    o.add("confusion", confusion);
    if (Double.isFinite(s.bestTop1())) {
      JsonObject best = new JsonObject();
      best.addProperty("top1", s.bestTop1());
      best.addProperty("step", s.bestStep());
      o.add("best_val", best);
    }
    JsonObject train = new JsonObject();
    train.addProperty("samples_seen", s.trainSamples());
    train.addProperty("trainable_parameters", s.parameters());
    train.addProperty("layer_decay", s.layerDecay());
    if (s.lastTrain() != null) {
      addFinite(train, "last_loss", s.lastTrain().loss());
      addFinite(train, "last_batch_acc", s.lastTrain().accuracy());
      addFinite(train, "last_lr", s.lastTrain().lr());
    }
    o.add("train", train);
    if (s.initFrom() != null) {
      o.addProperty("init_from", s.initFrom());
    }
    Files.createDirectories(runDir);
    Path file = runDir.resolve(FILE);
    Path tmp = runDir.resolve(FILE + ".tmp");
    Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(o), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    String title = String.format(Locale.ROOT, "Validation confusion at step %d: top-1 %.1f%%, top-5 %.1f%% (%d videos x %d views)",
        s.step(), 100 * m.top1(), 100 * m.top5(), m.count(), eval.views());
    ConfusionMatrixImage.write(runDir.resolve(FinetunePlots.DIR).resolve(CONFUSION), m.confusion(), names, title);
    return file;
  }

  private static void addFinite(JsonObject o, String k, double v) {
    if (Double.isFinite(v)) {
      o.addProperty(k, v);
    }
  }

  private static List<String> className(List<String> classes, int n) {
    List<String> out = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(classes != null && i < classes.size() ? classes.get(i) : "class " + i);
    }
    return out;
  }
}
