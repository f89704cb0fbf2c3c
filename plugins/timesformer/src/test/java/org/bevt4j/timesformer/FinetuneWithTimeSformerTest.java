package org.bevt4j.timesformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bevt4j.testkit.TestBuildContext;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.api.Backbone;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.bevt4j.core.data.synthetic.SyntheticDatasetFactory;
import org.bevt4j.core.finetune.FinetuneResult;
import org.bevt4j.core.finetune.FinetuneSettings;
import org.bevt4j.core.finetune.Finetuner;
import org.bevt4j.core.finetune.LayerIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Core fine-tuning with the real TimeSformer: ViT-rule layer ids from its names, a short run with class-token pooling. */
class FinetuneWithTimeSformerTest {
  static final String TINY = "preset = bevt, img-size = 32, patch-size = 8, mask-patch-size = 8, embed-dim = 16, depth = 3, num-heads = 2,"
      + " num-frames = 8, drop-path-rate = 0.1";

  @TempDir Path tmp;

  @Test
  void layerIdsFollowTheVitRule() {
    try (NDManager m = NDManager.newBaseManager()) {
      Backbone b = new TimeSformerBackboneFactory().create(FactoryTest.subtree(TINY), TestBuildContext.of(m).withBaseDir(tmp));
      List<String> names = new ArrayList<>();
      b.namedParameters().keySet().forEach(k -> names.add("backbone." + k));
      names.add("cls_head.fc_cls.weight");
      LayerIds ids = LayerIds.of(names, true);
      assertThat(ids.family()).isEqualTo(LayerIds.Family.VIT);
      assertThat(ids.top()).isEqualTo(4);
      double d = 0.5;
      for (String n : names) {
        double expected;
        if (n.startsWith("backbone.blocks.")) {
          expected = Math.pow(d, 4 - (Integer.parseInt(n.split("\\.")[2]) + 1));
        } else if (n.matches("backbone\\.(cls_token|pos_embed|time_embed|mask_token|patch_embed.*)")) {
          expected = Math.pow(d, 4);
        } else {
          expected = 1.0; // final norm, head
        }
        assertThat(ids.scale(n, d)).as(n).isCloseTo(expected, within(1e-12));
      }
      assertThat(names).contains("backbone.time_embed", "backbone.cls_token", "backbone.blocks.2.temporal_attn.qkv.weight", "backbone.norm.weight");
    }
  }

  @Test
  void shortRunWithClassTokenPooling() {
    Config root = ConfigFactory.parseString(
            "bevt.data.video { clip-len = 8, frame-interval = 2, scale-range = [32, 40], crop-size = 32, eval.short-side = 32,"
                + " synthetic { size = 22, width = 40, height = 32, frames = 24 } }\n"
                + "bevt.finetune { steps = 3, accumulate = 1, drop-path = null, head { pooling = cls, dropout = 0.5 }, optimizer.lr = 1e-3,"
                + " schedule.warmup-steps = 1, test { clips = 2, crops = 1 }, train-data.batch-size = 2, val-data { batch-size = 2, synthetic.size = 11 },"
                + " run.dir = \"" + tmp.resolve("ft").toString().replace("\\", "/") + "\" }")
        .withFallback(ConfigFactory.parseResources("reference.conf"))
        .resolve();
    FinetuneSettings s = FinetuneSettings.from(root);
    try (NDManager m = NDManager.newBaseManager()) {
      Finetuner.seedEngine(1);
      Backbone b = new TimeSformerBackboneFactory().create(FactoryTest.subtree(TINY), TestBuildContext.of(m).withBaseDir(tmp));
      SyntheticDatasetFactory f = new SyntheticDatasetFactory();
      FinetuneResult r = Finetuner.builder()
          .setBackbone(b)
          .setTrainData(f.create(s.trainData(), null))
          .setValData(f.create(s.valData(), null))
          .setSettings(s)
          .setManager(m)
          .optLoaderSettings(LoaderSettings.defaults().withWorkers(2))
          .optShutdownHook(false)
          .build()
          .run();
      assertThat(r.status()).isEqualTo(FinetuneResult.Status.COMPLETED);
      assertThat(r.lastTrain().loss()).isFinite();
      assertThat(r.finalEval().views()).isEqualTo(2);
      assertThat(tmp.resolve("ft/finetune.json")).exists();
    }
  }
}
