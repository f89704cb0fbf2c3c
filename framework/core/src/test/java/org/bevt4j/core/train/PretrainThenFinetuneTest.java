package org.bevt4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.bevt4j.core.data.synthetic.SyntheticDatasetFactory;
import org.bevt4j.core.finetune.FinetuneResult;
import org.bevt4j.core.finetune.FinetuneSettings;
import org.bevt4j.core.finetune.Finetuner;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real pretraining run's checkpoint initialises fine-tuning (init-from = the pretraining run dir). */
class PretrainThenFinetuneTest {
  @TempDir Path tmp;

  @Test
  void finetuningStartsFromThePretrainedBackbone() {
    Path pre = tmp.resolve("pre");
    try (NDManager m = Tiny.manager()) {
      PretrainResult pr = Tiny.trainer(Tiny.components(m, 3, 6, 8), Tiny.config(pre, ""), m).build().run();
      assertThat(pr.status()).isEqualTo(PretrainResult.Status.COMPLETED);
    }
    Checkpoint ck = CheckpointStore.resolve(pre, 3);
    StateDict pretrained = ck.model();
    // the pretraining checkpoint holds more than the backbone: the vocabulary head at least
    assertThat(pretrained.keys()).anyMatch(k -> k.startsWith("cls_head.")).anyMatch(k -> k.startsWith("backbone."));

    Config cfg = ConfigFactory.parseString(
            "bevt.data.video { clip-len = 4, frame-interval = 2, scale-range = [], crop-size = 16, eval.short-side = 16,"
                + " synthetic { size = 22, width = 16, height = 16, frames = 8 } }\n"
                + "bevt.finetune { steps = 2, accumulate = 1, optimizer.lr = 0, drop-path = null, test { clips = 1, crops = 1 },"
                + " train-data.batch-size = 4, val-data { batch-size = 4, synthetic.size = 11 },"
                + " init-from = \"" + pre.toString().replace("\\", "/") + "\", run.dir = \"" + tmp.resolve("ft").toString().replace("\\", "/") + "\" }")
        .withFallback(ConfigFactory.parseResources("reference.conf"))
        .resolve();
    FinetuneSettings s = FinetuneSettings.from(cfg);
    try (NDManager m = Tiny.manager()) {
      Finetuner.seedEngine(42);
      TinyBackbone backbone = new TinyBackbone(Tiny.DIM, Tiny.PATCH, 0.0, true);
      backbone.initialize(m);
      SyntheticDatasetFactory f = new SyntheticDatasetFactory();
      FinetuneResult r = Finetuner.builder()
          .setBackbone(backbone)
          .setTrainData(f.create(s.trainData(), null))
          .setValData(f.create(s.valData(), null))
          .setSettings(s)
          .setManager(m)
          .optLoaderSettings(LoaderSettings.defaults().withWorkers(2))
          .optShutdownHook(false)
          .build()
          .run();
      assertThat(r.status()).isEqualTo(FinetuneResult.Status.COMPLETED);
      assertThat(r.finalEval().count()).isEqualTo(11);
      // lr 0: the backbone is still exactly the pretrained one
      Map<String, TensorData> now = StateDictBinder.snapshot(backbone);
      now.forEach((k, v) -> assertThat(v.bitEquals(pretrained.get("backbone." + k))).as(k).isTrue());
    }
  }
}
