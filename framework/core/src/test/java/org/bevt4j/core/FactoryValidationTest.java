package org.bevt4j.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bevt4j.api.BevtConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

/**
 * {@link BevtRuntime#validate()} lets each configured factory check its own settings
 * ({@code ComponentFactory.validate}): range and required-key errors surface before any work,
 * without building anything or reading data files.
 */
class FactoryValidationTest {
  @TempDir Path tmp;

  @Test
  void settingsErrorsOfTheConfiguredFactoriesAreReportedTogether() throws Exception {
    Path f = tmp.resolve("run.conf");
    Files.writeString(
        f,
        String.join(
            "\n",
            "bevt.masking.image.mask-ratio = 1.5",
            "bevt.masking.video.tube-range = [0.5]",
            "bevt.data.video.type = video-list",
            "bevt.data.image.crop-size = 0",
            ""));
    try (BevtRuntime rt =
        BevtRuntime.builder().configFile(f).pluginsDir(tmp.resolve("none")).mode(RuntimeMode.DEPLOYMENT).systemProperties(false).open()) {
      assertThatThrownBy(rt::validate)
          .isInstanceOf(BevtConfigException.class)
          .hasMessageContaining("bevt.masking.image.mask-ratio (run.conf: 1)")
          .hasMessageContaining("bevt.masking.video.tube-range (run.conf: 2)")
          .hasMessageContaining("bevt.data.video.video-list.file")
          .hasMessageContaining("is required for this dataset type")
          .hasMessageContaining("bevt.data.image.crop-size (run.conf: 4)");
    }
  }

  @Test
  void theDefaultsAndASoundConfigurationPassTheFactoryChecks() throws Exception {
    Path list = tmp.resolve("train.txt");
    Path f = tmp.resolve("run.conf");
    Files.writeString(
        f,
        String.join(
            "\n",
            "bevt.data.video { type = video-list, video-list.file = \"" + list + "\" }",
            "bevt.masking.image.num-masking-patches = 98",
            ""));
    try (BevtRuntime rt =
        BevtRuntime.builder()
            .configFile(f)
            .pluginsDir(tmp.resolve("none"))
            .mode(RuntimeMode.DEPLOYMENT)
            .systemProperties(false)
            .set("bevt.model.backbone.type=none")
            .open()) {
      // only the missing plugins are reported: the list file itself is not read by validation
      assertThatThrownBy(rt::validate)
          .isInstanceOf(BevtConfigException.class)
          .hasMessageContaining("backbone type \"none\"")
          .hasMessageNotContaining("bevt.data")
          .hasMessageNotContaining("bevt.masking");
    }
  }
}
