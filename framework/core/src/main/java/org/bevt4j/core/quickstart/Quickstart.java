package org.bevt4j.core.quickstart;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Settings;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.ProgressListener;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.data.DataSources;
import org.bevt4j.core.eval.ClassificationMetrics;
import org.bevt4j.core.eval.ConfusionMatrixImage;
import org.bevt4j.core.eval.FeatureExtractor;
import org.bevt4j.core.eval.FeatureSet;
import org.bevt4j.core.eval.LinearProbe;
import org.bevt4j.core.eval.ProbeSettings;
import org.bevt4j.core.tokenizer.TokenizerTrainingResult;
import org.bevt4j.core.train.PretrainJob;
import org.bevt4j.core.train.PretrainResult;
import org.bevt4j.core.train.Pretrainer;
import org.bevt4j.core.train.ProgressTrainingListener;
import org.bevt4j.core.train.TrainSettings;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;

/**
 * The embedded default run. Steps, each resumable (a re-run continues or reuses finished work):
 *
 * <ol>
 *   <li>train the tokenizer of {@code bevt.quickstart.tokenizer} (the tiny PeCo-style preset on the
 *       synthetic frames) into {@code tokenizer/}, unless a result with the same config hash is
 *       there; the pretraining targets are its tokens;
 *   <li>pretrain the configured backbone jointly on both streams ({@code joint/});
 *   <li>pretrain it on the image stream only, the same number of steps ({@code image-only/});
 *   <li>linear-probe three frozen backbones — random initialisation (same seed), image-only and
 *       joint — on fresh labelled synthetic clips, and report top-1/top-5 (table, markdown, JSON,
 *       bar chart, confusion matrix of the joint backbone).
 * </ol>
 */
public final class Quickstart {
  /** The embedded configuration resource. */
  public static final String CONFIG_RESOURCE = "org/bevt4j/core/quickstart/quickstart.conf";

  private Quickstart() {}

  /** Writes the embedded configuration to {@code file} (overwriting it). */
  public static Path writeEmbeddedConfig(Path file) {
    try (InputStream in = Quickstart.class.getClassLoader().getResourceAsStream(CONFIG_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("embedded " + CONFIG_RESOURCE + " is missing from the class path");
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, in.readAllBytes());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs the quickstart.
   *
   * @param root the run directory
   * @param opener opens a runtime with the quickstart configuration plus the given {@code --set}
   *     assignments
   * @param progress progress display
   * @param say prints a line for the user
   */
  public static QuickstartResult run(
      Path root, Function<List<String>, BevtRuntime> opener, ProgressListener progress, Consumer<String> say) throws IOException {
    long steps;
    String tokType;
    String tokPreset;
    try (BevtRuntime rt = opener.apply(List.of())) {
      rt.validate();
      Settings q = Settings.of(rt.config().getConfig("bevt.quickstart"), "bevt.quickstart");
      steps = q.intIn("pretrain-steps", 1, 10_000_000);
      tokType = q.sub("tokenizer").optString("type");
      tokPreset = q.sub("tokenizer").optString("preset");
    }
    int total = tokType == null ? 3 : 4;
    int n = 0;
    Function<List<String>, BevtRuntime> open = opener;
    Map<String, Object> extra = new LinkedHashMap<>();
    if (tokType != null) {
      Path dir = root.resolve("tokenizer");
      say.accept("[" + ++n + "/" + total + "] " + tokType + " tokenizer" + (tokPreset == null ? "" : " (preset " + tokPreset + ")")
          + " trained on the synthetic frames -> " + dir);
      TokenizerTrainingResult tok = QuickstartTokenizer.train(dir, tokType, tokPreset, opener, progress);
      say.accept(QuickstartTokenizer.describe(tok));
      List<String> tokSets = QuickstartTokenizer.selectingSets(tok);
      open = more -> {
        List<String> all = new ArrayList<>(tokSets);
        all.addAll(more);
        return opener.apply(all);
      };
      extra.put("tokenizer", QuickstartTokenizer.summary(tok));
    }
    say.accept("[" + ++n + "/" + total + "] joint pretraining (video + image streams), " + steps + " steps -> " + root.resolve("joint"));
    Path joint = pretrain(root.resolve("joint"), "[{name = joint, streams = [video, image], steps = " + steps + "}]", open, progress);
    say.accept("[" + ++n + "/" + total + "] image-stream-only pretraining, " + steps + " steps -> " + root.resolve("image-only"));
    Path imageOnly = pretrain(root.resolve("image-only"), "[{name = image, streams = [image], steps = " + steps + "}]", open, progress);
    say.accept("[" + ++n + "/" + total + "] linear probes of the frozen backbones on fresh labelled clips");
    List<ProbeOutcome> rows = new ArrayList<>();
    int classes;
    String probePooling;
    try (BevtRuntime rt = open.apply(List.of("bevt.run.dir=" + quote(root.toString())))) {
      rt.validate();
      Config q = rt.config().getConfig("bevt.quickstart.probe");
      ProbeSettings ps = ProbeSettings.from(Settings.of(q, "bevt.quickstart.probe"));
      int featureBatch = Settings.of(q, "bevt.quickstart.probe").intIn("feature-batch", 1, 4096);
      FeatureExtractor.Pooling pooling = FeatureExtractor.Pooling.fromConfigName(
          Settings.of(q, "bevt.quickstart.probe").oneOf("pooling", FeatureExtractor.Pooling.configNames()));
      probePooling = pooling.configName();
      long seed = TrainSettings.from(rt.config()).seed();
      try (RuntimeBuildContext ctx = rt.newBuildContext();
          Dataset train = DataSources.create(q.getConfig("train-data"), ctx);
          Dataset val = DataSources.create(q.getConfig("val-data"), ctx)) {
        classes = train.classes().isEmpty() ? -1 : train.classes().size();
        Map<String, Path> variants = new LinkedHashMap<>();
        variants.put("random", null);
        variants.put("image-only", imageOnly);
        variants.put("joint", joint);
        for (Map.Entry<String, Path> v : variants.entrySet()) {
          Pretrainer.seedEngine(seed);
          Backbone backbone = rt.buildBackbone(ctx);
          if (v.getValue() != null) {
            StateDict sd = StateDict.load(v.getValue().resolve("model.safetensors")).select("backbone.");
            StateDictBinder.bindStrict(backbone, sd);
          }
          FeatureExtractor fx = new FeatureExtractor(backbone, ctx.manager(), featureBatch, 2, pooling);
          FeatureSet ftrain;
          FeatureSet fval;
          try (ProgressListener.Task t = progress.start("probe " + v.getKey() + ": features", 2, "set")) {
            ftrain = fx.extract(train, "quickstart-probe-train", seed, root.resolve("features").resolve(v.getKey()));
            t.update(1);
            fval = fx.extract(val, "quickstart-probe-val", seed, root.resolve("features").resolve(v.getKey()));
            t.update(2);
          }
          int k = classes > 0 ? classes : Math.max(ftrain.numClasses(), fval.numClasses());
          classes = k;
          LinearProbe probe = new LinearProbe(ps);
          double loss = probe.fit(ftrain, k);
          ClassificationMetrics m = probe.evaluate(fval);
          long pre = v.getValue() == null ? 0 : steps;
          rows.add(new ProbeOutcome(v.getKey(), m.top1(), m.top5(), m.meanClassAccuracy(), loss, pre));
          if (v.getKey().equals("joint")) {
            ConfusionMatrixImage.write(root.resolve("plots").resolve("confusion-joint.png"), m.confusion(), train.classes(),
                String.format(java.util.Locale.ROOT, "joint-pretrained backbone: probe top-1 %.1f%%", 100 * m.top1()));
          }
        }
      }
    }
    extra.put("pretrain_steps", steps);
    extra.put("probe_pooling", probePooling);
    QuickstartReport.write(root, rows, classes, extra);
    return new QuickstartResult(rows, classes);
  }

  private static Path pretrain(Path dir, String stages, Function<List<String>, BevtRuntime> opener, ProgressListener progress) {
    List<String> sets = List.of("bevt.run.dir=" + quote(dir.toString()), "bevt.run.resume=auto", "bevt.train.stages=" + stages);
    try (BevtRuntime rt = opener.apply(sets)) {
      rt.validate();
      rt.prepareRunDir();
      PretrainResult r = PretrainJob.run(rt, List.of(new ProgressTrainingListener(progress)));
      Path ckpt = r.lastCheckpoint() != null ? r.lastCheckpoint() : r.resumedFrom();
      if (ckpt == null) {
        throw new IllegalStateException("pretraining in " + dir + " left no checkpoint");
      }
      return ckpt;
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
