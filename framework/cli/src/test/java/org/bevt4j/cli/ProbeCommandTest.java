package org.bevt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.ProgressListener;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.eval.ProbeOptions;
import org.bevt4j.core.eval.ProbeResult;
import org.bevt4j.core.eval.ProbeRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

/** {@code bevt4j probe} and {@link ProbeRunner} with a tiny TimeSformer on synthetic clips and images. */
class ProbeCommandTest {
  @TempDir Path tmp;

  static final String TINY = """
      bevt.model.backbone.type = timesformer
      bevt.model.backbone.timesformer { img-size = 32, patch-size = 8, embed-dim = 16, depth = 1, num-heads = 2, num-frames = 4,
        drop-path-rate = 0.0 }
      bevt.data.video { clip-len = 4, frame-interval = 2, crop-size = 32, batch-size = 8,
        eval { short-side = 32, crop = center, clips = 1 }, synthetic { size = 22, width = 48, height = 40, frames = 12 } }
      bevt.data.image { crop-size = 32, batch-size = 8, eval.short-side = 32, synthetic { size = 16, width = 48, height = 40 } }
      bevt.data.loader.workers = 2
      bevt.eval.probe { epochs = 20, batch-size = 8, val-fraction = 0.25 }
      """;

  private Path conf(String extra) throws Exception {
    Path c = tmp.resolve("probe.conf");
    Files.writeString(c, TINY + extra);
    return c;
  }

  private static JsonObject json(Path p) throws Exception {
    return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
  }

  private static long files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void probesVideoFeaturesWritesReportsAndReusesTheFeatureCache() throws Exception {
    Path runDir = tmp.resolve("run");
    CliHarness.Run r = CliHarness.runWithRepoPlugins("probe", "-c", conf("").toString(), "--run-dir", runDir.toString());
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("linear probe: top-1").contains("per-class accuracy").contains("probe.json");
    JsonObject j = json(runDir.resolve("probe.json"));
    assertThat(j.keySet()).contains("top1", "top5", "mean_class_accuracy", "per_class", "confusion", "train_samples", "val_samples",
        "feature_dim", "num_classes", "settings");
    assertThat(j.get("train_samples").getAsInt() + j.get("val_samples").getAsInt()).isEqualTo(22);
    assertThat(j.get("val_samples").getAsInt()).isPositive();
    assertThat(j.get("feature_dim").getAsInt()).isEqualTo(16);
    assertThat(j.get("top1").getAsDouble()).isBetween(0.0, 1.0);
    assertThat(j.get("top5").getAsDouble()).isBetween(j.get("top1").getAsDouble(), 1.0);
    assertThat(j.getAsJsonArray("per_class")).hasSize(j.get("num_classes").getAsInt());
    assertThat(j.getAsJsonObject("settings").get("stream").getAsString()).isEqualTo("video");
    assertThat(runDir.resolve("plots/confusion.png")).isRegularFile();
    assertThat(runDir.resolve("config.resolved.conf")).isRegularFile();
    assertThat(runDir.resolve("log.txt")).isRegularFile();
    assertThat(files(runDir.resolve("features"))).isEqualTo(1);
    Path cached;
    try (Stream<Path> s = Files.list(runDir.resolve("features"))) {
      cached = s.findFirst().orElseThrow();
    }
    long stamp = Files.getLastModifiedTime(cached).toMillis();

    CliHarness.Run again = CliHarness.runWithRepoPlugins("probe", "-c", conf("").toString(), "--run-dir", runDir.toString());
    assertThat(again.code()).as(again.all()).isZero();
    assertThat(files(runDir.resolve("features"))).isEqualTo(1);
    assertThat(Files.getLastModifiedTime(cached).toMillis()).isEqualTo(stamp);
    assertThat(json(runDir.resolve("probe.json")).get("top1").getAsDouble()).isEqualTo(j.get("top1").getAsDouble());
  }

  @Test
  void probesImagesWithSeparateTrainAndValidationSets() throws Exception {
    String blocks = """
        probe-data.train { synthetic { size = 16, seed = 1 } }
        probe-data.val { synthetic { size = 8, seed = 2 } }
        """;
    Path runDir = tmp.resolve("img");
    CliHarness.Run r = CliHarness.runWithRepoPlugins("probe", "-c", conf(blocks).toString(), "--run-dir", runDir.toString(),
        "--stream", "image", "--train-set", "probe-data.train", "--val-set", "probe-data.val");
    assertThat(r.code()).as(r.all()).isZero();
    JsonObject j = json(runDir.resolve("probe.json"));
    assertThat(j.get("train_samples").getAsInt()).isEqualTo(16);
    assertThat(j.get("val_samples").getAsInt()).isEqualTo(8);
    assertThat(j.get("split").getAsString()).isEqualTo("separate train and validation sets");
    assertThat(j.getAsJsonObject("settings").get("stream").getAsString()).isEqualTo("image");
    assertThat(files(runDir.resolve("features"))).isEqualTo(2);
  }

  @Test
  void usageAndConfigurationErrorsExitWith2() throws Exception {
    Path c = conf("");
    CliHarness.Run half = CliHarness.runWithRepoPlugins("probe", "-c", c.toString(), "--train-set", "x");
    assertThat(half.code()).isEqualTo(2);
    assertThat(half.err()).contains("--train-set and --val-set");
    CliHarness.Run missing = CliHarness.runWithRepoPlugins("probe", "-c", c.toString(), "--weights", tmp.resolve("none.pth").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("none.pth: no such file");
    CliHarness.Run noBlock = CliHarness.runWithRepoPlugins("probe", "-c", c.toString(), "--run-dir", tmp.resolve("r").toString(),
        "--train-set", "nowhere.train", "--val-set", "nowhere.val");
    assertThat(noBlock.code()).isEqualTo(2);
    assertThat(noBlock.err()).contains("nowhere.train").contains("no such dataset block");
    CliHarness.Run badKey = CliHarness.runWithRepoPlugins("probe", "-c", c.toString(), "--set", "bevt.eval.probe.pooling=max");
    assertThat(badKey.code()).isEqualTo(2);
    assertThat(badKey.err()).contains("bevt.eval.probe.pooling").contains("[mean, cls]");
    CliHarness.Run badStream = CliHarness.runWithRepoPlugins("probe", "-c", c.toString(), "--stream", "audio");
    assertThat(badStream.code()).isEqualTo(2);
  }

  @Test
  void probeRunnerRunsProgrammaticallyOnABackbone() throws Exception {
    try (BevtRuntime rt = BevtRuntime.builder().configFile(conf("")).pluginsDir(CliHarness.repoRoot().resolve("plugins"))
            .mode(RuntimeMode.DEVELOPMENT).open();
        RuntimeBuildContext ctx = rt.newBuildContext()) {
      Backbone b = rt.buildBackbone(ctx);
      ProbeOptions o = ProbeOptions.from(rt.config()).withStream(StreamKind.IMAGE);
      ProbeResult r = ProbeRunner.run(rt, ctx, b, o, tmp.resolve("prog"), ProgressListener.NONE);
      assertThat(r.trainSamples() + r.valSamples()).isEqualTo(16);
      assertThat(r.top1()).isBetween(0.0, 1.0);
      assertThat(r.classes()).containsExactly("disc", "square", "triangle", "cross");
      assertThat(tmp.resolve("prog/probe.json")).isRegularFile();
      assertThat(tmp.resolve("prog/plots/confusion.png")).isRegularFile();
    }
  }
}
