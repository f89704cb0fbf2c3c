package org.bevt4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TrainingEvent;
import org.bevt4j.api.TrainingHook;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stage initialisation (inflation, weights files) and start-up validation. */
class PretrainerSetupTest {
  @TempDir Path tmp;

  /** Captures the backbone state when a given stage starts. */
  static final class StageSnapshot implements TrainingListener {
    final PretrainComponents c;
    final int stage;
    Map<String, TensorData> state;

    StageSnapshot(PretrainComponents c, int stage) {
      this.c = c;
      this.stage = stage;
    }

    @Override
    public void onStageStart(String name, int index, int count, long startStep, long totalSteps) {
      if (index == stage) {
        state = StateDictBinder.snapshot(c.backbone());
      }
    }
  }

  @Test
  void jointStageInflatesThePreviousStagesBackbone() {
    Config cfg = Tiny.config(tmp.resolve("r"),
        "bevt.train { stages = [{ name = image, streams = [image], steps = 2 },"
            + " { name = joint, streams = [video, image], init = inflate-from-previous, steps = 2 }] }");
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, 4, 2, 4);
      Map<String, TensorData> before = StateDictBinder.snapshot(c.backbone());
      StageSnapshot joint = new StageSnapshot(c, 1);
      RecordingListener rec = new RecordingListener();
      PretrainResult r = Tiny.trainer(c, cfg, m).optListener(joint).optListener(rec).build().run();
      assertThat(r.globalStep()).isEqualTo(4);
      // the image stage trained the 2-D patch embedding; the 3-D one got no gradient and kept its init
      assertThat(before.get("patch_embed_2d.weight").bitEquals(joint.state.get("patch_embed_2d.weight"))).isFalse();
      // at the joint stage start the 3-D embedding is the inflated 2-D one
      StateDict expected = c.backbone().inflate(new StateDict(joint.state, "x"));
      assertThat(joint.state.get("patch_embed.weight").bitEquals(expected.get("patch_embed.weight"))).isTrue();
      assertThat(joint.state.get("patch_embed.bias").bitEquals(joint.state.get("patch_embed_2d.bias"))).isTrue();
      assertThat(rec.lines.get(0)).startsWith("[image] step 1/2");
      assertThat(rec.lines.get(2)).startsWith("[joint] step 1/2");
      assertThat(rec.steps.get(2).step()).isEqualTo(3);
      assertThat(rec.steps.get(1).videoLoss()).isNaN();
      assertThat(rec.steps.get(2).videoLoss()).isFinite();
    }
  }

  @Test
  void aStageCanStartFromAWeightsFile() {
    Path weights = tmp.resolve("backbone.safetensors");
    Map<String, TensorData> donor;
    try (NDManager m = Tiny.manager()) {
      donor = StateDictBinder.snapshot(Tiny.components(m, 123, 2, 4).backbone());
      // a bare backbone state with a foreign container prefix and an extra key
      Map<String, TensorData> file = new LinkedHashMap<>();
      donor.forEach((k, v) -> file.put("module." + k, v));
      file.put("module.something_else", TensorData.ofFloats(new float[] {1}, 1));
      SafeTensors.write(weights, file);
    }
    Config cfg = Tiny.config(tmp.resolve("r"),
        "bevt.train { stages = [{ name = joint, streams = [video, image], init = \"" + weights.toString().replace("\\", "/") + "\", steps = 1 }] }");
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, 4, 2, 4);
      StageSnapshot start = new StageSnapshot(c, 0);
      Tiny.trainer(c, cfg, m).optListener(start).build().run();
      donor.forEach((k, v) -> assertThat(start.state.get(k).bitEquals(v)).as(k).isTrue());
    }
    // a full model checkpoint (backbone. / cls_head. keys) whose head has another vocabulary is refused
    Path model = tmp.resolve("r/checkpoints/step-1/model.safetensors");
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, 4, 2, 4);
      TinyTokenizer tok = (TinyTokenizer) c.tokenizer();
      tok.reportedVocab = Tiny.VOCAB / 2;
      Config other = Tiny.config(tmp.resolve("r2"),
          "bevt.train { stages = [{ name = joint, streams = [video], init = \"" + model.toString().replace("\\", "/") + "\", steps = 1 }] }");
      assertThatThrownBy(() -> Tiny.trainer(c, other, m).build().run())
          .isInstanceOf(BevtException.class)
          .hasMessageContaining("model.safetensors")
          .hasMessageContaining("cls_head.lm_head.weight: expected [16, 32], found [32, 32]");
    }
  }

  @Test
  void componentsMustFitTheStages() {
    Config joint = Tiny.config(tmp.resolve("v"), "");
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, 4, 2, 4);
      PretrainComponents noVideo = new PretrainComponents(
          c.backbone(), c.imageDecoder(), null, c.tokenizer(), c.imageMasker(), null, c.imageDataset(), c.videoDataset());
      assertThatThrownBy(() -> Tiny.trainer(noVideo, joint, m).build().run())
          .hasMessageContaining("stage \"joint\" (bevt.train.stages[0]) trains the video stream but no video decoder is configured")
          .hasMessageContaining("no video masker");
      PretrainComponents swapped = new PretrainComponents(
          new TinyBackbone(Tiny.DIM, Tiny.PATCH, 0, false), c.imageDecoder(), c.videoDecoder(), c.tokenizer(), c.imageMasker(), c.videoMasker(),
          c.videoDataset(), c.videoDataset());
      assertThatThrownBy(() -> Tiny.trainer(swapped, joint, m).build().run())
          .hasMessageContaining("backbone TinyBackbone does not support images")
          .hasMessageContaining("the image dataset produces video samples");
    }
  }

  @Test
  void gridAndVocabularyMismatchesAreReportedOnTheFirstBatch() {
    Config cfg = Tiny.config(tmp.resolve("g"), "bevt.train { stages = [{ name = v, streams = [video], steps = 1 }] }");
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, 4, 2, 4, 0.0, 1); // tokenizer grid 8x8, decoder target 4x4
      assertThatThrownBy(() -> Tiny.trainer(c, cfg, m).build().run())
          .hasMessageContaining("video decoder TinyDecoder predicts a 4x4x4 target grid")
          .hasMessageContaining("2x4x4 mask grid")
          .hasMessageContaining("tokenizer TinyTokenizer gives 4x8x8");
    }
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, 4, 2, 4);
      ((TinyTokenizer) c.tokenizer()).reportedVocab = 4; // ids go up to 31
      assertThatThrownBy(() -> Tiny.trainer(c, cfg, m).build().run())
          .hasMessageContaining("tokenizer TinyTokenizer produced video token ids in [")
          .hasMessageContaining("outside its vocabulary of 4");
    }
  }

  @Test
  void hooksSeeEveryPhaseInPriorityOrder() {
    List<String> seen = new ArrayList<>();
    TrainingHook late = hook("late", 900, seen);
    TrainingHook early = hook("early", 10, seen);
    Config cfg = Tiny.config(tmp.resolve("h"), "bevt.train { stages = [{ name = j, streams = [image], steps = 2 }], log-every = 2 }");
    try (NDManager m = Tiny.manager()) {
      Tiny.trainer(Tiny.components(m, 4, 2, 4), cfg, m).optHooks(List.of(late, early)).build().run();
    }
    assertThat(seen).containsExactly(
        "early RUN_START 0", "late RUN_START 0", "early STAGE_START 0", "late STAGE_START 0", "early STEP_END 1", "late STEP_END 1",
        "early STEP_END 2 loss", "late STEP_END 2 loss", "early CHECKPOINT_SAVED 2 loss", "late CHECKPOINT_SAVED 2 loss",
        "early STAGE_END 2 loss", "late STAGE_END 2 loss", "early RUN_END 2 loss", "late RUN_END 2 loss");
    // a failing hook stops the run naming the hook
    TrainingHook bad = hook("bad", 1, null);
    try (NDManager m = Tiny.manager()) {
      assertThatThrownBy(() -> Tiny.trainer(Tiny.components(m, 4, 2, 4), cfg, m).optHooks(List.of(bad)).build().run())
          .hasMessageContaining("training hook \"bad\" failed at RUN_START");
    }
  }

  private static TrainingHook hook(String name, int priority, List<String> seen) {
    return new TrainingHook() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int priority() {
        return priority;
      }

      @Override
      public void onEvent(TrainingEvent e) {
        if (seen == null) {
          throw new IllegalStateException("boom");
        }
        seen.add(name + " " + e.phase() + " " + e.step() + (e.metrics().containsKey("loss") ? " loss" : ""));
      }
    };
  }

  @Test
  void theModelNamesFollowTheBevtCheckpointLayout() {
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, 4, 2, 4);
      MaskedModelingModel model = new MaskedModelingModel(c, m);
      assertThat(model.namedParameters().keySet())
          .contains("backbone.patch_embed.weight", "backbone.mask_token", "backbone.norm.weight", "backbone.lm_down_st.weight",
              "backbone.lm_down.weight", "cls_head.lm_head.weight", "cls_head.lm_head.bias")
          .noneMatch(k -> k.startsWith("decoders."))
          .noneMatch(k -> k.contains("conv.w"));
      // the decoders' shared norm is listed once; the tokenizer is frozen and not trainable
      assertThat(model.namedParameters().values()).doesNotHaveDuplicates();
      assertThat(model.trainableParameters()).hasSize(model.namedParameters().size());
      assertThat(c.tokenizer().namedParameters().values()).noneMatch(p -> p.isTrainable());
      assertThat(model.head().lmHead().weight().shape().getShape()).containsExactly(Tiny.VOCAB, Tiny.DIM);
      assertThat(c.decoder(StreamKind.VIDEO).namedParameters()).containsKey("norm.weight");
    }
  }
}
