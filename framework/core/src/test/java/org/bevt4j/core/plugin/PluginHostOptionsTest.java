package org.bevt4j.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

class PluginHostOptionsTest {
  @TempDir Path tmp;

  @Test
  void sourceTreeIsFoundFromAnyFolderInsideIt() throws Exception {
    Files.createDirectories(tmp.resolve("plugins"));
    Files.createDirectories(tmp.resolve("framework/core/src"));
    Files.writeString(tmp.resolve("plugins/pom.xml"), "<project/>");
    Files.writeString(tmp.resolve("framework/core/pom.xml"), "<project/>");
    assertThat(PluginHostOptions.findSourceRoot(tmp.resolve("framework/core/src"))).isEqualTo(tmp.toAbsolutePath().normalize());
    assertThat(PluginHostOptions.findSourceRoot(Path.of("/"))).isNull();
  }

  @Test
  void insideTheRepositoryWithoutAHomeItIsDevelopmentModeOnTheRepositoryPlugins() {
    Assumptions.assumeTrue(System.getProperty("pf4j.mode") == null && System.getProperty(PluginHostOptions.HOME_PROPERTY) == null);
    Path root = PluginHostOptions.findSourceRoot(Path.of("").toAbsolutePath());
    Assumptions.assumeTrue(root != null, "tests run inside the source tree");
    PluginHostOptions o = PluginHostOptions.detect();
    assertThat(o.mode()).isEqualTo(RuntimeMode.DEVELOPMENT);
    assertThat(o.pluginsDir()).isEqualTo(root.resolve("plugins"));
    // a distribution home means deployment mode on <home>/plugins
    assertThat(PluginHostOptions.detectMode(tmp)).isEqualTo(RuntimeMode.DEPLOYMENT);
    assertThat(PluginHostOptions.defaultPluginsDir(RuntimeMode.DEPLOYMENT, tmp)).isEqualTo(tmp.resolve("plugins"));
  }
}
