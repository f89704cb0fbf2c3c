package org.bevt4j.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.bevt4j.api.BevtPluginException;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.BevtVersion;
import org.bevt4j.core.registry.ExtensionRegistry;
import org.bevt4j.core.testing.HostTestMasker;
import org.bevt4j.core.testing.PluginSources;
import org.bevt4j.core.testing.TestPlugin;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;

class PluginInternalsTest {
  @TempDir Path tmp;

  @Test
  void hostLibraryCheckInspectsJarContentAndClassFolders() throws Exception {
    Path dir = tmp.resolve("p");
    TestPlugin.writeJar(dir.resolve("lib/renamed.jar"), Map.of("org/slf4j/Logger.class", new byte[1]));
    TestPlugin.writeJar(dir.resolve("lib/natives.jar"), Map.of("jnilib/pytorch.properties", new byte[1]));
    TestPlugin.writeJar(dir.resolve("lib/own.jar"), Map.of("com/example/Own.class", new byte[1], "ai/djl/README", new byte[1]));
    TestPlugin.writeJar(dir.resolve("lib/pf4j-test.jar"), Map.of("org/pf4j/test/Helper.class", new byte[1]));
    Files.createDirectories(dir.resolve("classes/com/google/inject"));
    assertThat(HostLibraryCheck.scan(dir))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder(
            "lib/natives.jar (DJL/PyTorch native library)",
            "lib/renamed.jar (org.slf4j.* classes)",
            "classes/com/google/inject (com.google.inject.* classes)");
    assertThat(HostLibraryCheck.scan(tmp.resolve("missing"))).isEmpty();
  }

  @Test
  void extensionFactoryTurnsLinkageErrorsIntoPluginRuntimeExceptions() {
    GuiceExtensionFactory f = new GuiceExtensionFactory();
    assertThatThrownBy(() -> f.create(BadStatic.class))
        .isInstanceOf(PluginRuntimeException.class)
        .hasMessageContaining(BadStatic.class.getName())
        .hasMessageContaining("ExceptionInInitializerError");
    assertThatThrownBy(() -> f.create(NoDefault.class))
        .isInstanceOf(PluginRuntimeException.class)
        .hasMessageContaining("no no-arg constructor");
    assertThat(f.create(HostTestMasker.class)).isInstanceOf(HostTestMasker.class);
  }

  static class BadStatic {
    static final int VALUE = Integer.parseInt("not a number");
  }

  static class NoDefault {
    NoDefault(int x) {}
  }

  @Test
  void stoppingThreeOrMorePluginsWorks() {
    Path plugins = tmp.resolve("plugins");
    for (String id : new String[] {"s1", "s2", "s3", "s4"}) {
      TestPlugin.id(id).source("t." + id + ".M", PluginSources.maskerFactory("t." + id, "M", id + "-m", 1)).zipInto(plugins);
    }
    BevtPluginManager m = new BevtPluginManager(plugins, RuntimeMode.DEPLOYMENT, BevtVersion.framework());
    m.loadPlugins();
    m.startPlugins();
    assertThat(m.getStartedPlugins()).hasSize(4);
    m.stopPlugins(); // PF4J 3.15.0's own implementation throws ConcurrentModificationException here
    assertThat(m.getPlugins()).extracting(PluginWrapper::getPluginState).containsOnly(PluginState.STOPPED);
    m.unloadPlugins();
  }

  @Test
  void hostClassPathExtensionsAreRegisteredAsCore() {
    try (BevtRuntime rt =
        BevtRuntime.builder().pluginsDir(tmp.resolve("none")).mode(RuntimeMode.DEPLOYMENT).systemProperties(false).open()) {
      assertThat(rt.registries().maskers().whichPlugin(HostTestMasker.NAME)).isEqualTo(ExtensionRegistry.HOST);
      assertThat(rt.extensionsByOwner().get("core").get("masker")).contains(HostTestMasker.NAME);
    }
  }

  @Test
  void aPluginWithoutExtensionsDoesNotInheritTheHostIndex() {
    Path plugins = tmp.resolve("plugins");
    TestPlugin.id("bare").zipInto(plugins);
    try (BevtRuntime rt = BevtRuntime.builder().pluginsDir(plugins).mode(RuntimeMode.DEPLOYMENT).systemProperties(false).open()) {
      assertThat(rt.plugins().plugins()).extracting(PluginInfo::id).containsExactly("bare");
      assertThat(rt.registries().maskers().whichPlugin(HostTestMasker.NAME)).isEqualTo(ExtensionRegistry.HOST);
      assertThat(rt.extensionsByOwner()).doesNotContainKey("bare");
    }
  }

  @Test
  void unwritablePluginsFolderWithNewZipsIsAClearError() throws Exception {
    Path plugins = tmp.resolve("ro");
    TestPlugin.id("ro-plugin").source("t.ro.M", PluginSources.maskerFactory("t.ro", "M", "ro-m", 1)).zipInto(plugins);
    Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Assumptions.assumeFalse(Files.isWritable(plugins), "running as a user who can write anywhere (root)");
      assertThatThrownBy(() -> PluginHost.checkWritable(plugins))
          .isInstanceOf(BevtPluginException.class)
          .hasMessageContaining("is not writable")
          .hasMessageContaining("ro-plugin-1.0.0.zip")
          .hasMessageContaining("bevt.plugins.dir");
    } finally {
      Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void brokenZipIsReportedNotSilentlySkipped() throws Exception {
    Path plugins = tmp.resolve("plugins");
    Files.createDirectories(plugins);
    Files.writeString(plugins.resolve("corrupt.zip"), "this is not a zip");
    try (PluginHost host = PluginHost.start(new PluginHostOptions(plugins, RuntimeMode.DEPLOYMENT, false))) {
      assertThat(host.rejected()).singleElement().satisfies(r -> {
        assertThat(r.path().getFileName().toString()).isEqualTo("corrupt.zip");
        assertThat(r.reason()).contains("cannot expand");
      });
    }
  }
}
