package org.bevt4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.core.testing.TestPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoadingTest {
  @TempDir Path tmp;

  private Path write(String name, String text) throws Exception {
    Path f = tmp.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
    return f;
  }

  private LoadedConfig load(Path file, List<String> sets, Properties sys) {
    return ConfigLoader.load(new ConfigRequest(file, sets, sys, null, tmp), Map.of());
  }

  @Test
  void layersApplyInOrderFileThenSetThenSystemProperties() throws Exception {
    Path f = write("run.conf", "bevt.train.seed = 1\nbevt.train.log-every = 5\nbevt.run.name = from-file\n");
    Properties sys = new Properties();
    sys.setProperty("bevt.train.seed", "3");
    sys.setProperty("java.version", "ignored");
    LoadedConfig c = load(f, List.of("bevt.train.seed=2", "bevt.train.log-every=7", "bevt.train.log-every=8"), sys);
    assertThat(c.config().getInt("bevt.train.seed")).isEqualTo(3);
    assertThat(c.config().getValue("bevt.train.seed").valueType().name()).isEqualTo("NUMBER");
    assertThat(c.config().getInt("bevt.train.log-every")).isEqualTo(8);
    // untouched defaults from core's reference.conf
    assertThat(c.config().getDouble("bevt.train.optimizer.lr")).isEqualTo(5e-4);
    // the reference's substitution sees the user's run name (resolved once, after merging)
    assertThat(c.config().getString("bevt.run.dir")).isEqualTo("runs/from-file");
    assertThat(Origins.describe(c.config().getValue("bevt.train.seed"))).isEqualTo("-Dbevt.train.seed");
    assertThat(Origins.describe(c.config().getValue("bevt.train.log-every"))).isEqualTo("--set bevt.train.log-every");
    assertThat(Origins.describe(c.config().getValue("bevt.run.name"))).isEqualTo("run.conf: 3");
    assertThat(Origins.describe(c.config().getValue("bevt.train.clip-grad-norm"))).matches("reference\\.conf: \\d+");
    assertThat(c.baseDir()).isEqualTo(tmp.toAbsolutePath().normalize());
  }

  @Test
  void setValuesAreParsedAsHocon() {
    LoadedConfig c =
        load(
            null,
            List.of(
                "bevt.train.loss-weights={image = 2.5}",
                "bevt.train.optimizer.betas=[0.8, 0.9]",
                "bevt.run.resume=http://example.org/a#b",
                "bevt.run.name=\"quoted name\"",
                "bevt.model.backbone.weights=null"),
            null);
    Config cfg = c.config();
    assertThat(cfg.getDouble("bevt.train.loss-weights.image")).isEqualTo(2.5);
    assertThat(cfg.getDouble("bevt.train.loss-weights.video")).isEqualTo(1.0); // object merged
    assertThat(cfg.getDoubleList("bevt.train.optimizer.betas")).containsExactly(0.8, 0.9);
    assertThat(cfg.getString("bevt.run.resume")).isEqualTo("http://example.org/a#b"); // kept verbatim
    assertThat(cfg.getString("bevt.run.name")).isEqualTo("quoted name");
    assertThat(cfg.getIsNull("bevt.model.backbone.weights")).isTrue();
    ConfigValidator.validate(cfg, c.reference());
  }

  @Test
  void badSetSyntaxIsAConfigError() {
    assertThatThrownBy(() -> Overrides.parseSet("bevt.train.seed"))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("expected key=value");
    assertThatThrownBy(() -> Overrides.parseSet("bevt..x=1"))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("invalid key");
  }

  @Test
  void includesAreResolvedRelativeToTheFile() throws Exception {
    write("conf/common.conf", "bevt.train.seed = 11\n");
    Path f = write("conf/run.conf", "include \"common.conf\"\nbevt.train.log-every = 9\n");
    LoadedConfig c = load(f, List.of(), null);
    assertThat(c.config().getInt("bevt.train.seed")).isEqualTo(11);
    assertThat(Origins.describe(c.config().getValue("bevt.train.seed"))).isEqualTo("common.conf: 1");
    assertThat(c.baseDir()).isEqualTo(tmp.resolve("conf").toAbsolutePath().normalize());
  }

  @Test
  void missingFileAndSyntaxErrorsAreConfigErrors() throws Exception {
    assertThatThrownBy(() -> load(tmp.resolve("nope.conf"), List.of(), null))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("--config")
        .hasMessageContaining("file not found");
    Path f = write("broken.conf", "bevt {\n  train {\n    seed = 1\n");
    assertThatThrownBy(() -> load(f, List.of(), null))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("broken.conf: 4");
    Path g = write("unresolved.conf", "bevt.run.name = ${bevt.nothing.here}\n");
    assertThatThrownBy(() -> load(g, List.of(), null))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("unresolved.conf: 1")
        .hasMessageContaining("bevt.nothing.here");
  }

  @Test
  void pluginReferencesAreReadThroughTheirOwnLoaderOnlyAndCannotOverrideCore() throws Exception {
    Path hostJar =
        TestPlugin.writeJar(tmp.resolve("host.jar"), Map.of("reference.conf", "bevt.stray.key = 1\n".getBytes()));
    Path pluginJar =
        TestPlugin.writeJar(
            tmp.resolve("plugin.jar"),
            Map.of(
                "reference.conf",
                "bevt.model.backbone.toy { depth = 2 }\nbevt.train.seed = 42\n".getBytes()));
    try (URLClassLoader parent = new URLClassLoader(new URL[] {hostJar.toUri().toURL()}, null);
        URLClassLoader plugin = new URLClassLoader(new URL[] {pluginJar.toUri().toURL()}, parent)) {
      Config ref = ConfigLoader.pluginReference("toy", plugin);
      assertThat(ref.hasPath("bevt.stray")).isFalse(); // the parent's reference.conf is not read
      assertThat(Origins.describe(ref.getValue("bevt.model.backbone.toy.depth"))).isEqualTo("plugin toy reference.conf: 1");
      Map<String, Config> refs = new LinkedHashMap<>();
      refs.put("toy", ref);
      LoadedConfig c = ConfigLoader.load(new ConfigRequest(null, List.of(), null, null, tmp), refs);
      assertThat(c.config().getInt("bevt.model.backbone.toy.depth")).isEqualTo(2);
      assertThat(c.config().getInt("bevt.train.seed")).isZero(); // core wins over a plugin
      assertThat(c.reference().hasPath("bevt.model.backbone.toy.depth")).isTrue();
    }
    assertThat(ConfigLoader.pluginReference("none", new URLClassLoader(new URL[0], null)).isEmpty()).isTrue();
  }

  @Test
  void applicationConfIsBetweenReferencesAndTheUserFile() throws Exception {
    Path app = write("home/conf/application.conf", "bevt.train.seed = 5\nbevt.train.log-every = 6\n");
    Path f = write("run.conf", "bevt.train.seed = 7\n");
    LoadedConfig c = ConfigLoader.load(new ConfigRequest(f, List.of(), null, app, tmp), Map.of());
    assertThat(c.config().getInt("bevt.train.seed")).isEqualTo(7);
    assertThat(c.config().getInt("bevt.train.log-every")).isEqualTo(6);
  }

  @Test
  void resolvedConfigIsSavedWithOriginComments() throws Exception {
    Path f = write("run.conf", "bevt {\n  train.seed = 9\n}\n");
    LoadedConfig c = load(f, List.of("bevt.run.name=saved"), null);
    Path saved = ResolvedConfigWriter.save(c.config(), tmp.resolve("runs/x"));
    String text = Files.readString(saved);
    assertThat(saved.getFileName().toString()).isEqualTo("config.resolved.conf");
    assertThat(text).contains("run.conf: 2\n").contains("seed=9").contains("# --set bevt.run.name").contains("name=saved");
    assertThat(text).contains("# reference.conf: ");
    // the saved file is itself a valid configuration that reproduces the run
    Config reloaded = ConfigFactory.parseFile(saved.toFile()).resolve();
    assertThat(reloaded.getInt("bevt.train.seed")).isEqualTo(9);
    assertThat(reloaded.getString("bevt.run.dir")).isEqualTo("runs/saved");
    LoadedConfig again = load(saved, List.of(), null);
    ConfigValidator.validate(again.config(), again.reference());
  }
}
