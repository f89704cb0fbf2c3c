package org.bevt4j.core.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.train.RunSettings;
import org.junit.jupiter.api.Test;

/** bevt.finetune defaults (BEVT's K400 recipe) and validation errors naming key and constraint. */
class FinetuneSettingsTest {
  private static Config reference(String overrides) {
    return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.parseResources("reference.conf")).resolve();
  }

  @Test
  void defaultsFollowTheK400Recipe() {
    FinetuneSettings s = FinetuneSettings.from(reference(""));
    assertThat(s.optimizer().lr()).isEqualTo(3e-4);
    assertThat(s.optimizer().weightDecay()).isEqualTo(0.001);
    assertThat(s.optimizer().layerDecay()).isEqualTo(0.9);
    assertThat(s.patchMergingIsLayer()).isTrue();
    assertThat(s.accumulate()).isEqualTo(4);
    assertThat(s.clipGradNorm()).isEqualTo(40);
    assertThat(s.dropPath()).isEqualTo(0.3);
    assertThat(s.headDropout()).isEqualTo(0.5);
    assertThat(s.labelSmoothing()).isZero();
    assertThat(s.epochs()).isEqualTo(60);
    assertThat(s.steps()).isEqualTo(-1);
    assertThat(s.schedule().warmupEpochs()).isEqualTo(2.5);
    assertThat(s.views()).isEqualTo(12);
    assertThat(s.batchSize()).isEqualTo(8);
    assertThat(s.stream()).isEqualTo(StreamKind.VIDEO);
    assertThat(s.numClasses()).isZero();
    assertThat(s.initFrom()).isNull();
    // the validation block is in eval mode with the test views, the training block without tokenizer copy
    assertThat(s.valData().getString("mode")).isEqualTo("eval");
    assertThat(s.valData().getInt("eval.clips")).isEqualTo(4);
    assertThat(s.valData().getString("eval.crop")).isEqualTo("three");
    assertThat(s.trainData().getBoolean("tokenizer-copy")).isFalse();
    assertThat(s.run().dir()).isEqualTo(Path.of("runs/bevt-finetune"));
    assertThat(s.run().resume()).isEqualTo(RunSettings.Resume.NONE);
  }

  @Test
  void dataBlocksInheritTheVideoBlockAndTestViewsOverrideEval() {
    FinetuneSettings s = FinetuneSettings.from(reference(
        "bevt.data.video { crop-size = 64, clip-len = 8 }\nbevt.finetune { test { clips = 1, crops = 1 }, steps = 10, run.resume = auto }"));
    assertThat(s.trainData().getInt("crop-size")).isEqualTo(64);
    assertThat(s.valData().getInt("clip-len")).isEqualTo(8);
    assertThat(s.valData().getString("eval.crop")).isEqualTo("center");
    assertThat(s.views()).isEqualTo(1);
    assertThat(s.steps()).isEqualTo(10);
    assertThat(s.run().resume()).isEqualTo(RunSettings.Resume.AUTO);
  }

  @Test
  void errorsNameTheKeyAndTheConstraint() {
    assertThatThrownBy(() -> FinetuneSettings.from(reference("bevt.finetune.test.crops = 2")))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("bevt.finetune.test.crops")
        .hasMessageContaining("1 (centre crop) or 3");
    assertThatThrownBy(() -> FinetuneSettings.from(reference("bevt.finetune.label-smoothing = 1.5")))
        .hasMessageContaining("bevt.finetune.label-smoothing")
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> FinetuneSettings.from(reference("bevt.finetune.steps = 0")))
        .hasMessageContaining("bevt.finetune.steps");
    assertThatThrownBy(() -> FinetuneSettings.from(reference("bevt.finetune.optimizer.layer-decay = 1.2")))
        .hasMessageContaining("bevt.finetune.optimizer.layer-decay");
    assertThatThrownBy(() -> FinetuneSettings.from(reference("bevt.finetune.val-data.mode = train")))
        .hasMessageContaining("val-data")
        .hasMessageContaining("mode = eval");
    assertThatThrownBy(() -> FinetuneSettings.from(reference("bevt.finetune.head.pooling = max")))
        .hasMessageContaining("bevt.finetune.head.pooling")
        .hasMessageContaining("[mean, cls]");
    assertThatThrownBy(() -> FinetuneSettings.from(reference("bevt.finetune.train-data.crop-size = 0")))
        .hasMessageContaining("bevt.finetune.train-data.crop-size");
    assertThatThrownBy(() -> FinetuneSettings.from(reference("bevt.finetune.val-data.eval.short-side = 8")))
        .hasMessageContaining("bevt.finetune.val-data.eval.short-side");
    assertThatThrownBy(() -> FinetuneSettings.from(reference("bevt.finetune.schedule.min-lr = 1")))
        .hasMessageContaining("min-lr");
  }
}
