package org.bevt4j.core.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.metrics.MetricsHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a fine-tuning run writes: metrics, plots, report, checkpoints; listener callbacks. */
class FinetunerOutputTest {
  @TempDir Path tmp;

  @Test
  void runWritesMetricsPlotsReportAndCheckpoints() throws Exception {
    Path dir = tmp.resolve("ft");
    Config cfg = FtTesting.config(dir, "bevt.finetune { eval-every = 3, checkpoint-every = 3, log-every = 2, test { clips = 2, crops = 3 } }");
    List<String> events = new ArrayList<>();
    FinetuneResult r;
    try (NDManager m = FtTesting.manager()) {
      r = FtTesting.finetuner(cfg, m, FtTesting.backbone(m, 1, 0.1))
          .optListener(new FinetuneListener() {
            @Override
            public void onStart(long startStep, long totalSteps) {
              events.add("start " + startStep + "/" + totalSteps);
            }

            @Override
            public void onStep(StepRecord s) {
              events.add("step " + s.step());
            }

            @Override
            public void onLog(StepRecord w, String line) {
              events.add("log " + w.step());
            }

            @Override
            public void onEvaluation(EvalResult e) {
              events.add("eval " + e.step());
            }

            @Override
            public void onCheckpoint(Path d, long step) {
              events.add("ckpt " + step);
            }

            @Override
            public void onEnd(FinetuneResult res) {
              events.add("end " + res.status());
            }
          })
          .build()
          .run();
    }
    assertThat(r.status()).isEqualTo(FinetuneResult.Status.COMPLETED);
    assertThat(r.step()).isEqualTo(6);
    assertThat(events).containsExactly("start 0/6", "step 1", "step 2", "log 2", "step 3", "eval 3", "ckpt 3", "step 4", "log 4",
        "step 5", "step 6", "log 6", "eval 6", "ckpt 6", "end COMPLETED");

    // multi-view validation: 2 clips x 3 crops of every validation video
    assertThat(r.finalEval().views()).isEqualTo(6);
    assertThat(r.finalEval().count()).isEqualTo(22);

    List<Map<String, Object>> recs = MetricsHistory.read(dir);
    assertThat(recs).extracting(x -> x.get("kind") + "@" + x.get("step"))
        .containsExactly("train@2", "val@3", "train@4", "train@6", "val@6");
    assertThat(recs.get(0)).containsKeys("loss", "acc", "lr", "grad_norm", "clips_per_s", "eta_s", "epoch");
    assertThat(recs.get(4)).containsKeys("val_top1", "val_top5", "val_loss", "val_mean_class_acc").containsEntry("val_views", 6L);
    List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
    assertThat(csv.get(0)).startsWith("step,kind,epoch,loss,acc,lr");
    assertThat(csv).hasSize(6);

    for (String png : List.of("loss.png", "accuracy.png", "lr.png", "confusion.png")) {
      assertThat(dir.resolve("plots").resolve(png)).isRegularFile();
      assertThat(Files.size(dir.resolve("plots").resolve(png))).isGreaterThan(1000);
    }

    JsonObject report = JsonParser.parseString(Files.readString(dir.resolve("finetune.json"))).getAsJsonObject();
    assertThat(report.get("step").getAsLong()).isEqualTo(6);
    assertThat(report.get("num_classes").getAsInt()).isEqualTo(11);
    JsonObject val = report.getAsJsonObject("val");
    assertThat(val.get("top1").getAsDouble()).isEqualTo(r.finalEval().top1());
    assertThat(val.get("views_per_video").getAsInt()).isEqualTo(6);
    assertThat(val.get("videos").getAsLong()).isEqualTo(22);
    assertThat(report.getAsJsonArray("confusion")).hasSize(11);
    assertThat(report.getAsJsonArray("classes").get(0).getAsString()).isEqualTo("static");
    assertThat(report.getAsJsonObject("per_class_acc").keySet()).contains("static", "rotate-ccw");
    assertThat(report.getAsJsonObject("best_val").get("step").getAsLong()).isIn(3L, 6L);

    CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 3);
    assertThat(store.list()).extracting(p -> p.getFileName().toString()).containsExactly("step-3", "step-6");
    Checkpoint c = store.latestValid().orElseThrow();
    assertThat(c.step()).isEqualTo(6);
    assertThat(c.trainer().get("format").getAsString()).isEqualTo(FinetuneState.FORMAT);
    assertThat(c.model().keys()).contains("cls_head.fc_cls.weight", "cls_head.fc_cls.bias", "backbone.blocks.1.attn.qkv.weight",
        "backbone.patch_embed.proj.weight");
    assertThat(c.model().get("cls_head.fc_cls.weight").shape()).containsExactly(11, 32);
  }
}
