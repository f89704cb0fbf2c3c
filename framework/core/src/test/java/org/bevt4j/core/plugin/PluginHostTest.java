package org.bevt4j.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.bevt4j.api.BevtPluginException;
import org.bevt4j.api.Masker;
import org.bevt4j.api.MaskerFactory;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.registry.ComponentRegistry;
import org.bevt4j.core.registry.ExtensionRegistry;
import org.bevt4j.core.testing.PluginSources;
import org.bevt4j.core.testing.TestPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

class PluginHostTest {
  @TempDir Path tmp;

  private BevtRuntime open(Path pluginsDir, RuntimeMode mode, String... sets) {
    BevtRuntime.Builder b = BevtRuntime.builder().pluginsDir(pluginsDir).mode(mode).systemProperties(false).workDir(tmp);
    for (String s : sets) {
      b.set(s);
    }
    return b.open();
  }

  private static TestPlugin maskerPlugin(String id, String maskerName, double factor) {
    String pkg = "test." + id.replace('-', '_');
    return TestPlugin.id(id).source(pkg + ".Masks", PluginSources.maskerFactory(pkg, "Masks", maskerName, factor));
  }

  private static int countMasked(Masker m, int size) {
    int n = 0;
    for (boolean b : m.sample(new TokenGrid(1, 1, size), new SplittableRandom(0))) {
      n += b ? 1 : 0;
    }
    return n;
  }

  @Test
  void deploymentModeLoadsZipsRunsPyTorchInTwoPluginsAndBuildsFromTheirReferenceConf() throws Exception {
    Path plugins = tmp.resolve("plugins");
    maskerPlugin("p-one", "ones", 1.0).zipInto(plugins);
    maskerPlugin("p-half", "halves", 0.5).zipInto(plugins);
    TestPlugin.id("alpha")
        .source("test.alpha.AlphaTokenizer", PluginSources.tokenizerFactory("test.alpha", "AlphaTokenizer", "alpha"))
        .resource("reference.conf", "bevt.model.tokenizer.alpha {\n  vocab = 7\n  input-size = 16\n}\n")
        .zipInto(plugins);

    try (BevtRuntime rt =
            open(plugins, RuntimeMode.DEPLOYMENT, "bevt.model.tokenizer.type=alpha", "bevt.model.tokenizer.alpha.vocab=5");
        RuntimeBuildContext ctx = rt.newBuildContext()) {
      assertThat(rt.plugins().plugins()).extracting(PluginInfo::id).containsExactly("alpha", "p-half", "p-one");
      assertThat(rt.plugins().plugins()).allMatch(PluginInfo::started);
      assertThat(rt.plugins().problems()).isEmpty();
      // zips were expanded next to themselves
      assertThat(plugins.resolve("alpha-1.0.0/lib")).isDirectory();

      ComponentRegistry<MaskerFactory> maskers = rt.registries().maskers();
      assertThat(maskers.names()).contains("ones", "halves");
      assertThat(maskers.whichPlugin("ones")).isEqualTo("p-one");
      assertThat(maskers.whichPlugin("halves")).isEqualTo("p-half");

      // both plugins run PyTorch ops through the host's single engine (no UnsatisfiedLinkError)
      MaskerFactory ones = maskers.get("ones");
      MaskerFactory halves = maskers.get("halves");
      assertThat(countMasked(ones.create(rt.config(), ctx), 10)).isEqualTo(6);
      assertThat(countMasked(halves.create(rt.config(), ctx), 10)).isEqualTo(3);
      // the plugins see the host's DJL classes, not copies
      assertThat(ones.getClass().getClassLoader()).isInstanceOf(BevtPluginClassLoader.class);
      assertThat(ones.getClass().getClassLoader().loadClass(NDManager.class.getName())).isSameAs(NDManager.class);

      // the plugin's reference.conf is merged (vocab default 7 overridden by --set, input-size kept)
      assertThat(rt.config().getInt("bevt.model.tokenizer.alpha.input-size")).isEqualTo(16);
      Tokenizer tok = rt.buildTokenizer(ctx);
      assertThat(tok.vocabSize()).isEqualTo(5);
      assertThat(tok.inputSize()).isEqualTo(16);
      assertThat(ctx.tokenizer()).containsSame(tok);
      // the factory ran with its plugin's loader as thread context loader
      Class<?> factoryClass = rt.registries().tokenizers().get("alpha").getClass();
      assertThat(factoryClass.getField("contextLoaderSeen").get(null)).isSameAs(factoryClass.getClassLoader());
      try (var pixels = ctx.manager().ones(new ai.djl.ndarray.types.Shape(2, 3, 16, 16))) {
        var ids = tok.encode(pixels);
        assertThat(ids.getShape().getShape()).containsExactly(2, 2, 2);
        assertThat(ids.toLongArray()).containsOnly(4L);
      }
    }
  }

  @Test
  void pluginBundlingAHostLibraryIsRefusedWithAClearMessageAndOthersStillLoad() throws Exception {
    Path plugins = tmp.resolve("plugins");
    maskerPlugin("good", "good-mask", 1.0).zipInto(plugins);
    maskerPlugin("bad", "bad-mask", 1.0)
        .libJar("api-0.35.1.jar", Map.of("ai/djl/ndarray/NDManager.class", new byte[] {1, 2, 3}))
        .zipInto(plugins);

    try (BevtRuntime rt = open(plugins, RuntimeMode.DEPLOYMENT)) {
      assertThat(rt.plugins().plugins()).extracting(PluginInfo::id).containsExactly("good");
      assertThat(rt.plugins().rejected()).hasSize(1);
      RejectedPlugin r = rt.plugins().rejected().get(0);
      assertThat(r.pluginId()).isEqualTo("bad");
      assertThat(r.path().getFileName().toString()).isEqualTo("bad-1.0.0.zip");
      assertThat(r.reason())
          .contains("plugin 'bad'", "bad-1.0.0.zip", "lib/api-0.35.1.jar", "ai.djl.* classes", "provided");
      assertThat(rt.registries().maskers().names()).contains("good-mask").doesNotContain("bad-mask");
      assertThat(rt.plugins().problems()).anySatisfy(p -> assertThat(p).startsWith("bad: "));
    }
  }

  @Test
  void aPluginThatThrowsAtStartIsReportedAndTheOthersWork() {
    Path plugins = tmp.resolve("plugins");
    maskerPlugin("fine", "fine-mask", 1.0).zipInto(plugins);
    maskerPlugin("boom", "boom-mask", 1.0)
        .source("test.boom.BoomPlugin", PluginSources.failingPlugin("test.boom", "BoomPlugin"))
        .pluginClass("test.boom.BoomPlugin")
        .zipInto(plugins);

    try (BevtRuntime rt = open(plugins, RuntimeMode.DEPLOYMENT)) {
      PluginInfo boom = rt.plugins().plugins().stream().filter(p -> p.id().equals("boom")).findFirst().orElseThrow();
      assertThat(boom.state()).isEqualTo("FAILED");
      assertThat(boom.error()).contains("kaboom in start");
      assertThat(rt.plugins().plugins()).filteredOn(p -> p.id().equals("fine")).allMatch(PluginInfo::started);
      assertThat(rt.registries().maskers().names()).contains("fine-mask").doesNotContain("boom-mask");
      // an unknown type mentions the unavailable plugin
      assertThatThrownBy(() -> rt.registries().maskers().get("boom-mask"))
          .hasMessageContaining("masker type \"boom-mask\" is unknown")
          .hasMessageContaining("boom: failed to start");
    }
  }

  @Test
  void anExtensionWhoseConstructorThrowsIsSkippedAndReported() {
    Path plugins = tmp.resolve("plugins");
    TestPlugin.id("mixed")
        .source("test.mixed.Ok", PluginSources.maskerFactory("test.mixed", "Ok", "ok-mask", 1.0))
        .source("test.mixed.Broken", PluginSources.brokenMaskerFactory("test.mixed", "Broken", "broken-mask"))
        .zipInto(plugins);
    try (BevtRuntime rt = open(plugins, RuntimeMode.DEPLOYMENT)) {
      assertThat(rt.registries().maskers().names()).contains("ok-mask").doesNotContain("broken-mask");
      assertThat(rt.extensionFailures())
          .singleElement()
          .satisfies(f -> {
            assertThat(f.owner()).isEqualTo("mixed");
            assertThat(f.className()).isEqualTo("test.mixed.Broken");
            assertThat(f.message()).contains("constructor of broken-mask exploded");
          });
    }
  }

  @Test
  void duplicateExtensionNamesAreFatalAndNameBothPlugins() {
    Path plugins = tmp.resolve("plugins");
    maskerPlugin("first", "same", 1.0).zipInto(plugins);
    maskerPlugin("second", "same", 1.0).zipInto(plugins);
    assertThatThrownBy(() -> open(plugins, RuntimeMode.DEPLOYMENT))
        .isInstanceOf(BevtPluginException.class)
        .hasMessageContaining("masker \"same\" is provided twice")
        .hasMessageContaining("plugin \"first\"")
        .hasMessageContaining("plugin \"second\"");
  }

  @Test
  void pluginRequiringANewerFrameworkIsDisabledWithTheReason() {
    Path plugins = tmp.resolve("plugins");
    maskerPlugin("future", "future-mask", 1.0).requires(">=99.0.0").zipInto(plugins);
    try (BevtRuntime rt = open(plugins, RuntimeMode.DEPLOYMENT)) {
      PluginInfo p = rt.plugins().plugins().get(0);
      assertThat(p.state()).isEqualTo("DISABLED");
      assertThat(p.error()).contains("requires bevt4j >=99.0.0", "this is bevt4j " + org.bevt4j.core.BevtVersion.framework());
      assertThat(rt.registries().maskers().names()).doesNotContain("future-mask");
    }
  }

  @Test
  void pluginWithAMissingDependencyIsRejectedAndReported() {
    Path plugins = tmp.resolve("plugins");
    maskerPlugin("needy", "needy-mask", 1.0).dependencies("absent-plugin@>=1.0.0").zipInto(plugins);
    maskerPlugin("plain", "plain-mask", 1.0).zipInto(plugins);
    try (BevtRuntime rt = open(plugins, RuntimeMode.DEPLOYMENT)) {
      assertThat(rt.plugins().plugins()).extracting(PluginInfo::id).containsExactly("plain");
      assertThat(rt.plugins().rejected()).singleElement().satisfies(r -> {
        assertThat(r.pluginId()).isEqualTo("needy");
        assertThat(r.reason()).contains("absent-plugin", "missing");
      });
    }
  }

  @Test
  void developmentModeReadsModuleFoldersAndIgnoresOtherFolders() throws Exception {
    Path plugins = tmp.resolve("plugins");
    maskerPlugin("devplug", "dev-mask", 1.0).moduleInto(plugins);
    Files.createDirectories(plugins.resolve("src/assembly")); // like the repository's plugins/src
    try (BevtRuntime rt = open(plugins, RuntimeMode.DEVELOPMENT)) {
      assertThat(rt.plugins().plugins()).extracting(PluginInfo::id).containsExactly("devplug");
      assertThat(rt.plugins().rejected()).isEmpty();
      assertThat(rt.registries().maskers().whichPlugin("dev-mask")).isEqualTo("devplug");
    }
  }

  @Test
  void guiceModuleContributionsFeedTheSingleInjector() {
    Path plugins = tmp.resolve("plugins");
    TestPlugin.id("wired")
        .source("test.wired.Greeting", PluginSources.guiceContribution("test.wired", "Greeting", "hello"))
        .source("test.wired.Injected", PluginSources.injectedMaskerFactory("test.wired", "Injected"))
        .zipInto(plugins);
    try (BevtRuntime rt = open(plugins, RuntimeMode.DEPLOYMENT, "bevt.train.device=cpu")) {
      assertThat(rt.registries().maskers().names()).contains("hello-cpu");
      assertThat(rt.extensionsByOwner().get("wired")).containsEntry("guice-module", java.util.List.of("Greeting"));
      assertThat(rt.extensionsByOwner().get("wired").get("masker")).containsExactly("hello-cpu");
    }
  }

  @Test
  void hostLibrariesAreNeverLoadedFromThePlugin() {
    assertThat(BevtPluginClassLoader.isHostClass("ai.djl.ndarray.NDArray")).isTrue();
    assertThat(BevtPluginClassLoader.isHostClass("org.bevt4j.api.Backbone")).isTrue();
    assertThat(BevtPluginClassLoader.isHostClass("org.bevt4j.nn.Module")).isTrue();
    assertThat(BevtPluginClassLoader.isHostClass("com.google.inject.Injector")).isTrue();
    assertThat(BevtPluginClassLoader.isHostClass("org.pf4j.test.Foo")).isFalse();
    assertThat(BevtPluginClassLoader.isHostClass("org.bevt4j.plugins.swin.Swin")).isFalse();
  }

  @Test
  void emptyOrMissingPluginsFolderGivesNoPlugins() {
    try (BevtRuntime rt = open(tmp.resolve("nothing-here"), RuntimeMode.DEPLOYMENT)) {
      assertThat(rt.plugins().plugins()).isEmpty();
      // no backbone from a plugin (host-class-path test extensions may provide some)
      assertThat(rt.registries().backbones().entries()).allSatisfy(e -> assertThat(e.owner()).isEqualTo(ExtensionRegistry.HOST));
      assertThat(rt.extensionsByOwner()).doesNotContainKey("p");
      assertThat(StreamKind.values()).allSatisfy(s -> assertThat(rt.registries().decoders(s)).isNotNull());
      assertThat(ExtensionRegistry.HOST).isEqualTo("core");
    }
  }
}
