package org.bevt4j.core.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.api.BevtException;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.testing.TinyVideoViT;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** init-from: pretraining checkpoints (run dir / step dir / file), key selection, errors. */
class BackboneInitTest {
  @TempDir Path tmp;

  /** A checkpoint laid out as the pretrainer writes it: backbone.*, decoder keys in the backbone, the vocabulary head. */
  private static Map<String, TensorData> pretrainingModel(TinyVideoViT b) {
    Map<String, TensorData> m = new LinkedHashMap<>();
    StateDictBinder.snapshot(b).forEach((k, v) -> m.put(FinetuneModel.BACKBONE + k, v));
    m.put("backbone.lm_down.weight", TensorData.ofFloats(new float[6], 2, 3));
    m.put("decoders.image.fpn.0.weight", TensorData.ofFloats(new float[4], 4));
    m.put("cls_head.lm_head.weight", TensorData.ofFloats(new float[8], 4, 2));
    return m;
  }

  private static Path writeRun(Path run, Map<String, TensorData> model) {
    JsonObject trainer = new JsonObject();
    trainer.addProperty("global_step", 3);
    return new CheckpointStore(run.resolve("checkpoints"), 3).save(3, model, Map.of("format", "bevt4j-pretrain"), Map.of(), Map.of(), trainer);
  }

  private static void assertSameWeights(TinyVideoViT a, TinyVideoViT b) {
    Map<String, TensorData> x = StateDictBinder.snapshot(a);
    Map<String, TensorData> y = StateDictBinder.snapshot(b);
    x.forEach((k, v) -> assertThat(v.bitEquals(y.get(k))).as(k).isTrue());
  }

  @Test
  void loadsTheBackboneOfAPretrainingRunCheckpointDirOrFile() {
    try (NDManager m = FtTesting.manager()) {
      TinyVideoViT source = FtTesting.backbone(m, 1, 0);
      Path step = writeRun(tmp.resolve("pre"), pretrainingModel(source));
      for (Path p : new Path[] {tmp.resolve("pre"), tmp.resolve("pre/checkpoints"), step, step.resolve("model.safetensors")}) {
        TinyVideoViT target = FtTesting.backbone(m, 2, 0);
        BindReport r = BackboneInit.apply(target, BackboneInit.load(p), true);
        assertThat(r.loaded()).hasSize(source.namedParameters().size());
        assertThat(r.unexpected()).containsExactly("lm_down.weight");
        assertThat(r.missing()).isEmpty();
        assertSameWeights(source, target);
      }
    }
  }

  @Test
  void aBareBackboneStateWithModulePrefixLoadsToo() {
    try (NDManager m = FtTesting.manager()) {
      TinyVideoViT source = FtTesting.backbone(m, 1, 0);
      Map<String, TensorData> bare = new LinkedHashMap<>();
      StateDictBinder.snapshot(source).forEach((k, v) -> bare.put("module." + k, v));
      Path f = tmp.resolve("bare.safetensors");
      SafeTensors.write(f, bare, Map.of());
      TinyVideoViT target = FtTesting.backbone(m, 2, 0);
      BackboneInit.apply(target, BackboneInit.load(f), true);
      assertSameWeights(source, target);
    }
  }

  @Test
  void wrongShapesMissingKeysAndForeignFilesAreErrors() {
    try (NDManager m = FtTesting.manager()) {
      Map<String, TensorData> model = pretrainingModel(FtTesting.backbone(m, 1, 0));
      model.put("backbone.norm.weight", TensorData.ofFloats(new float[16], 16));
      Path wrong = writeRun(tmp.resolve("wrong"), model);
      assertThatThrownBy(() -> BackboneInit.apply(FtTesting.backbone(m, 2, 0), BackboneInit.load(wrong), true))
          .isInstanceOf(BevtException.class)
          .hasMessageContaining("do not fit")
          .hasMessageContaining("norm.weight: expected [32], found [16]");

      Map<String, TensorData> partial = pretrainingModel(FtTesting.backbone(m, 1, 0));
      partial.remove("backbone.blocks.1.mlp.fc2.bias");
      Path missing = writeRun(tmp.resolve("partial"), partial);
      assertThatThrownBy(() -> BackboneInit.apply(FtTesting.backbone(m, 2, 0), BackboneInit.load(missing), true))
          .isInstanceOf(BevtException.class)
          .hasMessageContaining("blocks.1.mlp.fc2.bias")
          .hasMessageContaining("init-strict");
      BindReport lenient = BackboneInit.apply(FtTesting.backbone(m, 2, 0), BackboneInit.load(missing), false);
      assertThat(lenient.missing()).containsExactly("blocks.1.mlp.fc2.bias");

      Path foreign = tmp.resolve("foreign.safetensors");
      SafeTensors.write(foreign, Map.of("encoder.conv.weight", TensorData.ofFloats(new float[2], 2)), Map.of());
      assertThatThrownBy(() -> BackboneInit.apply(FtTesting.backbone(m, 2, 0), BackboneInit.load(foreign), true))
          .hasMessageContaining("no tensor matches");
      assertThatThrownBy(() -> BackboneInit.load(tmp.resolve("nothing-here")))
          .hasMessageContaining("no such file or directory");
      assertThatThrownBy(() -> BackboneInit.load(tmp))
          .hasMessageContaining("expected a run dir");
    }
  }

  @Test
  void theFinetunerStartsFromInitFromButResumesFromItsOwnCheckpoint() {
    try (NDManager m = FtTesting.manager()) {
      TinyVideoViT source = FtTesting.backbone(m, 1, 0);
      writeRun(tmp.resolve("pre"), pretrainingModel(source));
      Config cfg = FtTesting.config(tmp.resolve("ft"), "bevt.finetune { steps = 1, optimizer.lr = 0, init-from = \""
          + tmp.resolve("pre").toString().replace("\\", "/") + "\" }");
      TinyVideoViT target = FtTesting.backbone(m, 2, 0);
      FinetuneResult r = FtTesting.finetuner(cfg, m, target).build().run();
      assertThat(r.status()).isEqualTo(FinetuneResult.Status.COMPLETED);
      assertSameWeights(source, target); // lr 0: the step left the loaded weights as they were
    }
  }
}
