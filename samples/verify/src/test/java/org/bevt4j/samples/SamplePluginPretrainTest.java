package org.bevt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.train.PretrainComponents;
import org.bevt4j.core.train.PretrainResult;
import org.bevt4j.core.train.Pretrainer;
import org.bevt4j.core.train.RunSettings;
import org.bevt4j.core.train.TrainSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

/**
 * The sample plugin, deployed as a zip next to the bundled ones, pretrains: its example
 * configuration with the stages cut to one image step and two joint steps (inflating in between),
 * through the host's generic trainer, writing metrics and a checkpoint.
 */
class SamplePluginPretrainTest {
  @TempDir Path tmp;

  @Test
  void theExampleConfigurationPretrainsBothStagesWithTheZippedPlugin() throws Exception {
    Path plugins = PluginZips.copyAll(tmp.resolve("plugins"));
    Path runDir = tmp.resolve("run");
    try (BevtRuntime rt =
            BevtRuntime.builder()
                .pluginsDir(plugins)
                .mode(RuntimeMode.DEPLOYMENT)
                .configFile(SamplePluginDeploymentTest.exampleConf())
                .set("bevt.train.stages=[{name=image, streams=[image], steps=1},"
                    + " {name=joint, streams=[video, image], init=inflate-from-previous, steps=2}]")
                .set("bevt.run.dir=\"" + runDir + "\"")
                .systemProperties(false)
                .workDir(tmp)
                .open();
        RuntimeBuildContext ctx = rt.newBuildContext()) {
      rt.validate();
      Pretrainer.seedEngine(rt.settings().seed());
      PretrainComponents c =
          new PretrainComponents(
              rt.buildBackbone(ctx),
              rt.buildDecoder(StreamKind.IMAGE, ctx),
              rt.buildDecoder(StreamKind.VIDEO, ctx),
              rt.buildTokenizer(ctx),
              rt.buildMasker(StreamKind.IMAGE, ctx),
              rt.buildMasker(StreamKind.VIDEO, ctx),
              rt.buildDataset(StreamKind.IMAGE, ctx),
              rt.buildDataset(StreamKind.VIDEO, ctx));
      PretrainResult r =
          Pretrainer.builder()
              .setComponents(c)
              .setTrainSettings(TrainSettings.from(rt.config()))
              .setRunSettings(RunSettings.from(rt.config()))
              .setManager(ctx.manager())
              .optShutdownHook(false)
              .build()
              .run();

      assertThat(r.status()).isEqualTo(PretrainResult.Status.COMPLETED);
      assertThat(r.globalStep()).isEqualTo(3);
      assertThat(r.last().stage()).isEqualTo("joint");
      assertThat(r.last().videoLoss()).isFinite().isPositive();
      assertThat(r.last().imageLoss()).isFinite().isPositive();
      assertThat(r.lastCheckpoint()).isNotNull();
      assertThat(r.lastCheckpoint().resolve("model.safetensors")).isRegularFile();
      assertThat(Files.readAllLines(runDir.resolve("metrics.jsonl"))).hasSize(3);
    }
  }
}
