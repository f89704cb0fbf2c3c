package org.bevt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ai.djl.ndarray.NDManager;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.testing.TinyVideoViT;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bevt4j finetune} end to end in-process: a tiny backbone from a pretraining-style checkpoint, synthetic clips. */
class FinetuneCommandTest {
  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  private Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--plugins-dir=" + tmp.resolve("no-plugins"));
    all.add("--plugin-mode=deployment");
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private static final String CONFIG =
      """
      bevt {
        model.backbone.type = tiny-vit
        data {
          video {
            clip-len = 8
            frame-interval = 2
            scale-range = [32, 40]
            crop-size = 32
            eval.short-side = 32
            synthetic { size = 44, width = 40, height = 32, frames = 24 }
          }
          loader { workers = 2, prefetch = 2 }
        }
        train.device = cpu
        finetune {
          steps = 4
          accumulate = 1
          drop-path = null
          eval-every = 2
          log-every = 2
          checkpoint-every = 2
          optimizer.lr = 1e-3
          schedule.warmup-steps = 1
          test { clips = 1, crops = 3 }
          train-data.batch-size = 4
          val-data { batch-size = 4, synthetic.size = 11 }
        }
      }
      """;

  /** A checkpoint laid out as bevt4j pretraining writes it (backbone.*, the vocabulary head). */
  private Path pretrainingRun() {
    Path run = tmp.resolve("pretrain");
    try (NDManager m = NDManager.newBaseManager()) {
      TinyVideoViT b = new TinyVideoViT(32, 2, 8, 64, 0);
      b.initialize(m);
      Map<String, TensorData> model = new LinkedHashMap<>();
      StateDictBinder.snapshot(b).forEach((k, v) -> model.put("backbone." + k, v));
      model.put("cls_head.lm_head.weight", TensorData.ofFloats(new float[64], 2, 32));
      JsonObject trainer = new JsonObject();
      trainer.addProperty("global_step", 10);
      new CheckpointStore(run.resolve("checkpoints"), 1).save(10, model, Map.of(), Map.of(), Map.of(), trainer);
    }
    return run;
  }

  @Test
  void finetuneWritesItsRunAndPrintsTheTable() throws Exception {
    Path conf = tmp.resolve("ft.conf");
    Files.writeString(conf, CONFIG);
    Path dir = tmp.resolve("ft-run");
    Path weights = pretrainingRun();

    Run dry = run("finetune", "--config", conf.toString(), "--run-dir", dir.toString(), "--weights", weights.toString(), "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("run dir: " + dir).contains("initialised from " + weights).contains("1 clips x 3 crops");
    assertThat(dir).doesNotExist();

    Run r = run("finetune", "--config", conf.toString(), "--run-dir", dir.toString(), "--weights", weights.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("fine-tuning completed after 4 steps; run dir " + dir)
        .contains("| val top-1")
        .contains("| val top-5")
        .contains("| videos x views       |         11 x 3 |")
        .contains("per-class accuracy:")
        .contains("rotate-ccw");
    for (String f : List.of("finetune.json", "metrics.jsonl", "metrics.csv", "config.resolved.conf", "log.txt", "plots/loss.png",
        "plots/accuracy.png", "plots/lr.png", "plots/confusion.png", "checkpoints/step-2", "checkpoints/step-4", "checkpoints/latest")) {
      assertThat(dir.resolve(f)).as(f).exists();
    }
    JsonObject report = JsonParser.parseString(Files.readString(dir.resolve("finetune.json"))).getAsJsonObject();
    assertThat(report.get("step").getAsLong()).isEqualTo(4);
    assertThat(report.get("init_from").getAsString()).isEqualTo(weights.toString());
    assertThat(report.getAsJsonObject("val").get("videos").getAsLong()).isEqualTo(11);
    // the pretraining run is left alone
    assertThat(new CheckpointStore(weights.resolve("checkpoints"), 1).list()).hasSize(1);

    // resuming a finished run validates again and reports the same numbers
    Run again = run("finetune", "--config", conf.toString(), "--run-dir", dir.toString(), "--resume", "auto");
    assertThat(again.code()).as(again.err()).isZero();
    String top1 = r.out().lines().filter(l -> l.startsWith("| val top-1")).findFirst().orElseThrow();
    assertThat(again.out()).contains(top1);
  }

  @Test
  void configurationErrorsExitWith2() throws Exception {
    Path conf = tmp.resolve("ft.conf");
    Files.writeString(conf, CONFIG);
    Run bad = run("finetune", "--config", conf.toString(), "--set", "bevt.finetune.test.crops=2");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("bevt.finetune.test.crops").contains("1 (centre crop) or 3");
    Run type = run("finetune", "--config", conf.toString(), "--set", "bevt.finetune.val-data.type=video-lst");
    assertThat(type.code()).isEqualTo(2);
    assertThat(type.err()).contains("bevt.finetune.val-data.type").contains("video-list");
    Run unknown = run("finetune", "--config", conf.toString(), "--set", "bevt.finetune.label-smooth=0.1");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("did you mean \"bevt.finetune.label-smoothing\"");
  }
}
