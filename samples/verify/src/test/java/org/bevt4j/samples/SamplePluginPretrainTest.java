package org.bevt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.train.PretrainJob;
import org.bevt4j.core.train.PretrainResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

/**
 * The sample plugin, deployed as a zip next to the bundled ones, pretrains through the same library
 * call as {@code bevt4j pretrain} ({@link PretrainJob}): its example configuration with the stages
 * cut to one image step and two joint steps (inflating in between), writing metrics and a
 * checkpoint.
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
            .open()) {
      rt.validate();
      PretrainResult r = PretrainJob.run(rt, List.of());

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
