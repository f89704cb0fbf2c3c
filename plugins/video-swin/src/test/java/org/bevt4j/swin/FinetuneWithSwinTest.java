package org.bevt4j.swin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bevt4j.testkit.TestBuildContext;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.Backbone;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.bevt4j.core.data.synthetic.SyntheticDatasetFactory;
import org.bevt4j.core.finetune.FinetuneResult;
import org.bevt4j.core.finetune.FinetuneSettings;
import org.bevt4j.core.finetune.Finetuner;
import org.bevt4j.core.finetune.LayerIds;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Core fine-tuning with the real Video Swin: layer ids from its parameter names, a pretraining checkpoint as init, a short run. */
class FinetuneWithSwinTest {
  @TempDir Path tmp;

  private static Config swin(String overrides) throws Exception {
    return ConfigFactory.parseString(overrides).withFallback(FactoryTest.defaults()).resolve();
  }

  @Test
  void swinBaseDepthsGiveBevtK400LayerScales() throws Exception {
    // Swin-B's depths and merge layers at a tiny width (names are what matter); BEVT mode adds patch_embed_2d, mask_token, decoders
    Config c = swin("preset = null, embed-dim = 4, depths = [2, 2, 18, 2], num-heads = [1, 1, 1, 1], window-size = [2, 2, 2],"
        + " patch-size = [2, 4, 4], bevt = true");
    try (NDManager m = NDManager.newBaseManager()) {
      Backbone b = new VideoSwinBackboneFactory().create(c, TestBuildContext.of(m));
      List<String> names = new ArrayList<>();
      b.namedParameters().keySet().forEach(k -> names.add("backbone." + k));
      names.add("cls_head.fc_cls.weight");
      LayerIds ids = LayerIds.of(names, true);
      assertThat(ids.family()).isEqualTo(LayerIds.Family.SWIN);
      assertThat(ids.top()).isEqualTo(28);
      double d = 0.9;
      Map<String, Double> expected = Map.of(
          "backbone.patch_embed.proj.weight", Math.pow(d, 28),
          "backbone.patch_embed_2d.proj.weight", Math.pow(d, 28),
          "backbone.mask_token", Math.pow(d, 28),
          "backbone.layers.0.blocks.0.attn.qkv.weight", Math.pow(d, 27),
          "backbone.layers.0.downsample.reduction.weight", Math.pow(d, 25),
          "backbone.layers.2.blocks.17.mlp.fc1.weight", Math.pow(d, 4),
          "backbone.layers.2.downsample.norm.weight", Math.pow(d, 3),
          "backbone.layers.3.blocks.1.attn.relative_position_bias_table", d,
          "backbone.norm.weight", d,
          "cls_head.fc_cls.weight", 1.0);
      expected.forEach((k, v) -> {
        assertThat(names).contains(k);
        assertThat(ids.scale(k, d)).as(k).isCloseTo(v, within(1e-12));
      });
    }
  }

  @Test
  void finetunesAPlainSwinFromABevtModePretrainingCheckpoint() throws Exception {
    String arch = "preset = null, embed-dim = 8, depths = [1, 1], num-heads = [1, 2], window-size = [2, 2, 2], patch-size = [2, 4, 4]";
    Path pre = tmp.resolve("pre");
    Map<String, TensorData> pretrained = new LinkedHashMap<>();
    try (NDManager m = NDManager.newBaseManager()) {
      // what a bevt4j pretraining run saves: the BEVT-mode backbone (with its decoders) and the vocabulary head
      Backbone bevt = new VideoSwinBackboneFactory().create(swin(arch + ", bevt = true"), TestBuildContext.of(m));
      StateDictBinder.snapshot(bevt).forEach((k, v) -> pretrained.put("backbone." + k, v));
      pretrained.put("cls_head.lm_head.weight", TensorData.ofFloats(new float[32], 4, 8));
      JsonObject trainer = new JsonObject();
      trainer.addProperty("global_step", 1);
      new CheckpointStore(pre.resolve("checkpoints"), 1).save(1, pretrained, Map.of(), Map.of(), Map.of(), trainer);
    }
    Config root = ConfigFactory.parseString(
            "bevt.data.video { clip-len = 8, frame-interval = 2, scale-range = [32, 40], crop-size = 32, eval.short-side = 32,"
                + " synthetic { size = 22, width = 40, height = 32, frames = 24 } }\n"
                + "bevt.finetune { steps = 2, accumulate = 2, drop-path = null, label-smoothing = 0.1, optimizer.lr = 0,"
                + " test { clips = 1, crops = 3 }, train-data.batch-size = 2, val-data { batch-size = 2, synthetic.size = 11 },"
                + " init-from = \"" + pre.toString().replace("\\", "/") + "\", run.dir = \"" + tmp.resolve("ft").toString().replace("\\", "/") + "\" }")
        .withFallback(ConfigFactory.parseResources("reference.conf"))
        .resolve();
    FinetuneSettings s = FinetuneSettings.from(root);
    try (NDManager m = NDManager.newBaseManager()) {
      Finetuner.seedEngine(1);
      Backbone plain = new VideoSwinBackboneFactory().create(swin(arch + ", bevt = false, drop-path-rate = 0.2"), TestBuildContext.of(m));
      SyntheticDatasetFactory f = new SyntheticDatasetFactory();
      FinetuneResult r = Finetuner.builder()
          .setBackbone(plain)
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
      assertThat(r.finalEval().views()).isEqualTo(3);
      assertThat(r.finalEval().count()).isEqualTo(11);
      // lr 0: the shared parameters are exactly the pretrained ones (BEVT-only tensors were ignored)
      StateDictBinder.snapshot(plain).forEach((k, v) -> {
        if (!k.endsWith("relative_position_index")) {
          assertThat(v.bitEquals(pretrained.get("backbone." + k))).as(k).isTrue();
        }
      });
    }
  }
}
