package org.bevt4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.optim.AdamWImplementation;
import org.bevt4j.core.optim.LrSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainSettingsTest {
  @TempDir Path tmp;

  /** The user file run.conf on top of the core reference. */
  private Config config(String userFile) throws IOException {
    Path f = tmp.resolve("run.conf");
    Files.writeString(f, userFile);
    return ConfigFactory.parseFile(f.toFile()).withFallback(ConfigFactory.parseResources("reference.conf")).resolve();
  }

  @Test
  void referenceDefaultsFollowTheBevtRecipe() throws IOException {
    TrainSettings s = TrainSettings.from(config(""));
    assertThat(s.stages()).extracting(StageSettings::name).containsExactly("image", "joint");
    StageSettings joint = s.stages().get(1);
    assertThat(joint.streams()).containsExactly(StreamKind.VIDEO, StreamKind.IMAGE);
    assertThat(joint.init()).isEqualTo(StageSettings.Init.INFLATE_FROM_PREVIOUS);
    assertThat(joint.primary()).isEqualTo(StreamKind.VIDEO);
    assertThat(s.stages().get(0).primary()).isEqualTo(StreamKind.IMAGE);
    assertThat(s.optimizer().lr()).isEqualTo(5e-4);
    assertThat(s.optimizer().beta2()).isEqualTo(0.999);
    assertThat(s.optimizer().weightDecay()).isEqualTo(0.05);
    assertThat(s.optimizer().noDecay()).contains("norm", "relative_position_bias_table", "absolute_pos_embed");
    assertThat(s.optimizer().implementation()).isEqualTo(AdamWImplementation.AUTO);
    assertThat(TrainSettings.from(config("bevt.train.optimizer.implementation = elementwise")).optimizer().implementation())
        .isEqualTo(AdamWImplementation.ELEMENTWISE);
    assertThat(s.schedule().type()).isEqualTo(LrSchedule.Type.COSINE);
    assertThat(s.schedule().warmupEpochs()).isEqualTo(10);
    assertThat(s.schedule().warmupSteps()).isEqualTo(-1);
    assertThat(s.schedule().warmupStartFactor()).isEqualTo(0.1);
    assertThat(s.clipGradNorm()).isEqualTo(3.0);
    assertThat(s.accumulate()).isEqualTo(2);
    assertThat(s.videoBatch()).isEqualTo(4);
    assertThat(s.imageBatch()).isEqualTo(32);
    assertThat(s.precision()).isEqualTo(TrainSettings.Precision.FP32);
    assertThat(s.device()).isEqualTo(TrainSettings.DeviceChoice.AUTO);
    RunSettings r = RunSettings.from(config(""));
    assertThat(r.dir()).isEqualTo(Path.of("runs/bevt"));
    assertThat(r.resume()).isEqualTo(RunSettings.Resume.NONE);
    assertThat(RunSettings.from(config("bevt.run.resume = auto")).resume()).isEqualTo(RunSettings.Resume.AUTO);
    RunSettings p = RunSettings.from(config("bevt.run.resume = \"runs/x/checkpoints/step-10\""));
    assertThat(p.resume()).isEqualTo(RunSettings.Resume.PATH);
    assertThat(p.resumePath()).isEqualTo(Path.of("runs/x/checkpoints/step-10"));
    // warm-up in epochs becomes steps with the stage's steps per epoch
    assertThat(s.schedule().build(5e-4, 1500, 10).warmupSteps()).isEqualTo(100);
  }

  @Test
  void errorsNameKeyOriginValueAndConstraint() {
    assertThatThrownBy(() -> TrainSettings.from(config("\n\nbevt.train.accumulate = 0\n")))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("bevt.train.accumulate")
        .hasMessageContaining("run.conf: 3")
        .hasMessageContaining("value 0")
        .hasMessageContaining("[1, 4096]");
    assertThatThrownBy(() -> TrainSettings.from(config("bevt.train.precision = fp8")))
        .hasMessageContaining("bevt.train.precision").hasMessageContaining("fp8").hasMessageContaining("[fp32, fp16]");
    assertThatThrownBy(() -> TrainSettings.from(config("bevt.train.optimizer.betas = [0.9, 1.5]")))
        .hasMessageContaining("bevt.train.optimizer.betas").hasMessageContaining("beta2 = 1.5").hasMessageContaining("[0, 1)");
    assertThatThrownBy(() -> TrainSettings.from(config("bevt.train.optimizer.implementation = foreach")))
        .hasMessageContaining("bevt.train.optimizer.implementation").hasMessageContaining("foreach")
        .hasMessageContaining("[auto, fused, elementwise]");
    assertThatThrownBy(() -> TrainSettings.from(config("bevt.train.schedule.min-lr = 1")))
        .hasMessageContaining("bevt.train.schedule.min-lr").hasMessageContaining("exceeds optimizer.lr");
    assertThatThrownBy(() -> TrainSettings.from(config("bevt.train.clip-grad-norm = \"big\"")))
        .hasMessageContaining("bevt.train.clip-grad-norm").hasMessageContaining("expected a number");
  }

  @Test
  void stageErrors() throws IOException {
    assertThatThrownBy(() -> TrainSettings.from(config("bevt.train.stages = [{ name = a, streams = [video], epochs = 1, steps = 3 }]")))
        .hasMessageContaining("bevt.train.stages[0]").hasMessageContaining("both epochs and steps").hasMessageContaining("run.conf: 1");
    assertThatThrownBy(() -> TrainSettings.from(config("bevt.train.stages = [{ name = a, streams = [video] }]")))
        .hasMessageContaining("neither epochs nor steps");
    assertThatThrownBy(() -> TrainSettings.from(config("bevt.train.stages = [{ name = a, streams = [video], step = 3 }]")))
        .hasMessageContaining("bevt.train.stages[0].step").hasMessageContaining("did you mean").hasMessageContaining("steps");
    assertThatThrownBy(() -> TrainSettings.from(config("bevt.train.stages = [{ name = a, streams = [audio], steps = 3 }]")))
        .hasMessageContaining("bevt.train.stages[0].streams").hasMessageContaining("audio").hasMessageContaining("[video, image]");
    assertThatThrownBy(() -> TrainSettings.from(config("bevt.train.stages = [{ name = a, streams = [image], steps = 3, init = inflate-from-previous }]")))
        .hasMessageContaining("bevt.train.stages[0].init").hasMessageContaining("first stage");
    assertThatThrownBy(() -> TrainSettings.from(config(
        "bevt.train.stages = [{ name = a, streams = [image], steps = 3 }, { name = a, streams = [video], steps = 3 }]")))
        .hasMessageContaining("bevt.train.stages[1].name").hasMessageContaining("duplicate stage name");
    assertThatThrownBy(() -> TrainSettings.from(config("bevt.train.stages = []"))).hasMessageContaining("no training stages");
    TrainSettings w = TrainSettings.from(config("bevt.train.stages = [{ name = ft, streams = [video], steps = 3, init = \"w/b.safetensors\" }]"));
    assertThat(w.stages().get(0).init()).isEqualTo(StageSettings.Init.WEIGHTS);
    assertThat(w.stages().get(0).weights()).isEqualTo("w/b.safetensors");
  }
}
