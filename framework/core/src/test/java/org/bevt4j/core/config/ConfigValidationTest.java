package org.bevt4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.BevtConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden tests for configuration errors: each names the key, its origin and what was expected. */
class ConfigValidationTest {
  @TempDir Path tmp;

  private LoadedConfig load(String text, Map<String, Config> pluginRefs) throws Exception {
    Path f = tmp.resolve("run.conf");
    Files.writeString(f, text);
    return ConfigLoader.load(new ConfigRequest(f, List.of(), null, null, tmp), pluginRefs);
  }

  private void validate(String text) throws Exception {
    LoadedConfig c = load(text, Map.of());
    ConfigValidator.validate(c.config(), c.reference());
    RuntimeSettings.from(c.config());
  }

  @Test
  void typoGivesOriginAndDidYouMean() {
    String conf = """
        bevt {
          train {
            optimizer {
              weight-decy = 0.1
            }
          }
        }
        """;
    assertThatThrownBy(() -> validate(conf))
        .isInstanceOf(BevtConfigException.class)
        .hasMessage("bevt.train.optimizer.weight-decy (run.conf: 4): unknown key; did you mean \"bevt.train.optimizer.weight-decay\"?")
        .satisfies(e -> {
          BevtConfigException c = (BevtConfigException) e;
          assertThat(c.path()).isEqualTo("bevt.train.optimizer.weight-decy");
          assertThat(c.origin()).isEqualTo("run.conf: 4");
        });
  }

  @Test
  void misplacedKeyPointsToWhereItBelongs() {
    assertThatThrownBy(() -> validate("bevt.train.lr = 1e-3\n"))
        .hasMessageContaining("bevt.train.lr (run.conf: 1): unknown key")
        // names every place the key exists (bevt.eval.probe.lr too)
        .hasMessageContaining("bevt.train.optimizer.lr");
  }

  @Test
  void unknownKeyWithoutCloseMatchListsKnownKeys() {
    assertThatThrownBy(() -> validate("bevt.masking.image.zzzzzzzz = 3\n"))
        .hasMessageContaining("bevt.masking.image.zzzzzzzz (run.conf: 1): unknown key")
        .hasMessageContaining("known keys under bevt.masking.image: [")
        .hasMessageContaining("bevt4j plugins");
  }

  @Test
  void wrongTypeNamesExpectedAndFound() {
    assertThatThrownBy(() -> validate("bevt {\n  train.optimizer.lr = \"fast\"\n}\n"))
        .hasMessageContaining("bevt.train.optimizer.lr (run.conf: 2): expected a number, found string \"fast\"")
        .hasMessageContaining("the default is 5.0E-4 (reference.conf: ");
    assertThatThrownBy(() -> validate("bevt.train.optimizer = 3\n"))
        .hasMessageContaining("bevt.train.optimizer (run.conf: 1): expected an object, found number 3");
    assertThatThrownBy(() -> validate("bevt.train.stages = yes\n"))
        .hasMessageContaining("bevt.train.stages (run.conf: 1): expected a list");
  }

  @Test
  void outOfRangeAndUnknownValuesAreReportedByTheSettingsRecord() {
    assertThatThrownBy(() -> validate("bevt {\n  train {\n    seed = -1\n  }\n}\n"))
        .isInstanceOf(BevtConfigException.class)
        .hasMessage("bevt.train.seed (run.conf: 3): value -1 is out of range; must be >= 0");
    assertThatThrownBy(() -> validate("bevt.train.device = tpu\n"))
        .hasMessageContaining("bevt.train.device (run.conf: 1): unknown value \"tpu\"")
        .hasMessageContaining("allowed: [auto, cpu, gpu]");
    assertThatThrownBy(() -> validate("bevt.run.name = \"\"\n"))
        .hasMessageContaining("bevt.run.name (run.conf: 1): must not be empty");
  }

  @Test
  void severalProblemsAreReportedTogether() {
    assertThatThrownBy(() -> validate("bevt.train.sed = 1\nbevt.train.log-evry = 2\n"))
        .hasMessageContaining("2 configuration errors")
        .hasMessageContaining("bevt.train.sed (run.conf: 1)")
        .hasMessageContaining("bevt.train.log-evry (run.conf: 2)");
  }

  @Test
  void nullDefaultsEmptyObjectsAndListElementsAreFreeForm() throws Exception {
    Config pluginRef = ConfigFactory.parseString("bevt.model.backbone.toy { extra {}, depth = 2 }");
    LoadedConfig c =
        load(
            """
            bevt.model.backbone.weights = { path = "w.safetensors", strict = false }
            bevt.model.backbone.toy.extra { anything = 1, goes { here = true } }
            bevt.train.stages = [ { name = solo, streams = [video], epochs = 3, whatever = 1 } ]
            """,
            Map.of("toy", pluginRef));
    assertThatCode(() -> ConfigValidator.validate(c.config(), c.reference())).doesNotThrowAnyException();
  }

  @Test
  void aTypeBlockOfAMissingPluginHintsAtPlugins() {
    assertThatThrownBy(() -> validate("bevt.model.backbone.mystery { depth = 2 }\n"))
        .hasMessageContaining("bevt.model.backbone.mystery (run.conf: 1): unknown key")
        .hasMessageContaining("the plugin providing it may be missing");
  }

  @Test
  void keysOutsideBevtAreNotValidated() throws Exception {
    validate("other.tool.setting = 1\nbevt.train.seed = 2\n");
  }

  @Test
  void theDefaultsAreValid() {
    LoadedConfig c = ConfigLoader.defaults(Map.of());
    ConfigValidator.validate(c.config(), c.reference());
    RuntimeSettings s = RuntimeSettings.from(c.config());
    assertThat(s.device()).isEqualTo("auto");
    assertThat(s.runDir()).isEqualTo("runs/bevt");
    assertThat(s.pluginsDir()).isEqualTo("plugins");
  }
}
