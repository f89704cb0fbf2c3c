package org.bevt4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.core.plugin.PluginInfo;
import org.bevt4j.core.testing.HostTestMasker;
import org.bevt4j.core.testing.PluginSources;
import org.bevt4j.core.testing.TestPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

class BevtRuntimeTest {
  @TempDir Path tmp;

  @Test
  void validateReportsEveryUninstalledComponentType() throws Exception {
    Path f = tmp.resolve("run.conf");
    Files.writeString(f, "bevt.masking.image.type = " + HostTestMasker.NAME + "\nbevt.masking.video.type = tubes\n");
    try (BevtRuntime rt =
        BevtRuntime.builder().configFile(f).pluginsDir(tmp.resolve("none")).mode(RuntimeMode.DEPLOYMENT).systemProperties(false).open()) {
      assertThatThrownBy(rt::validate)
          .isInstanceOf(BevtConfigException.class)
          .hasMessageContaining("backbone type \"video-swin\" (reference.conf: ")
          .hasMessageContaining("tokenizer type \"dalle\"")
          .hasMessageContaining("masker type \"tubes\" (run.conf: 2) is unknown")
          .hasMessageNotContaining("masker type \"" + HostTestMasker.NAME + "\"")
          .hasMessageNotContaining("decoder type \"default\"");
    }
  }

  @Test
  void pluginsDirFromTheConfigFileIsRelativeToThatFile() throws Exception {
    Path conf = tmp.resolve("conf");
    TestPlugin.id("located").source("t.loc.M", PluginSources.maskerFactory("t.loc", "M", "loc-m", 1)).zipInto(conf.resolve("my-plugins"));
    Files.writeString(conf.resolve("run.conf"), "bevt.plugins.dir = my-plugins\n");
    try (BevtRuntime rt =
        BevtRuntime.builder().configFile(conf.resolve("run.conf")).mode(RuntimeMode.DEPLOYMENT).systemProperties(false).workDir(tmp).open()) {
      assertThat(rt.plugins().pluginsDir()).isEqualTo(conf.resolve("my-plugins").toAbsolutePath().normalize());
      assertThat(rt.plugins().plugins()).extracting(PluginInfo::id).containsExactly("located");
    }
  }

  @Test
  void prepareRunDirSavesTheResolvedConfig() throws Exception {
    try (BevtRuntime rt =
        BevtRuntime.builder()
            .pluginsDir(tmp.resolve("none"))
            .mode(RuntimeMode.DEPLOYMENT)
            .systemProperties(false)
            .workDir(tmp)
            .set("bevt.run.name=exp1")
            .open()) {
      Path dir = rt.prepareRunDir();
      assertThat(dir).isEqualTo(tmp.resolve("runs/exp1").toAbsolutePath().normalize());
      assertThat(Files.readString(dir.resolve("config.resolved.conf"))).contains("name=exp1").contains("# --set bevt.run.name");
    }
  }

  @Test
  void configErrorsSurfaceAtOpenAndStopThePlugins() throws Exception {
    assertThatThrownBy(
            () ->
                BevtRuntime.builder()
                    .pluginsDir(tmp.resolve("none"))
                    .mode(RuntimeMode.DEPLOYMENT)
                    .systemProperties(false)
                    .set("bevt.train.sede=1")
                    .open())
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("bevt.train.sede (--set bevt.train.sede): unknown key; did you mean \"bevt.train.seed\"?");
  }
}
