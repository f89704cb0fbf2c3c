package org.bevt4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
  private static final String CONF =
      String.join(
          "\n",
          "# file header, not a key",
          "bevt {",
          "  # Folder of plugins.",
          "  plugins.dir = \"plugins\"",
          "  data {",
          "    # Normalisation, RGB 0..255.",
          "    mean = [1, 2, 3]",
          "    std = [4, 5, 6]",
          "    # Learning rate.",
          "    lr = 5e-4",
          "",
          "    lonely = 3",
          "    # Jitter factors.",
          "    color-jitter { brightness = 0.4, hue = 0.0 }",
          "    # Free-form | anything.",
          "    extra {}",
          "    nothing = null",
          "  }",
          "  # The optimizer.",
          "  opt {",
          "    lr = 1",
          "    inner { x = 2 }",
          "    # Own.",
          "    y = 3",
          "  }",
          "  run {",
          "    # Run name.",
          "    name = bevt",
          "    # Where runs go.",
          "    dir = \"runs/\"${bevt.run.name}",
          "  }",
          "}");

  private static Map<String, ConfigReference.Entry> entries() {
    ConfigReference.Section s = ConfigReference.read("Core", "reference.conf", ConfigFactory.parseString(CONF));
    return s.entries().stream().collect(Collectors.toMap(ConfigReference.Entry::key, Function.identity()));
  }

  @Test
  void everyLeafIsListedInFileOrderWithItsRenderedDefault() {
    ConfigReference.Section s = ConfigReference.read("Core", "reference.conf", ConfigFactory.parseString(CONF));
    assertThat(s.entries())
        .extracting(ConfigReference.Entry::key)
        .containsExactly(
            "bevt.plugins.dir",
            "bevt.data.mean",
            "bevt.data.std",
            "bevt.data.lr",
            "bevt.data.lonely",
            "bevt.data.color-jitter.brightness",
            "bevt.data.color-jitter.hue",
            "bevt.data.extra",
            "bevt.data.nothing",
            "bevt.opt.lr",
            "bevt.opt.inner.x",
            "bevt.opt.y",
            "bevt.run.name",
            "bevt.run.dir");
    Map<String, ConfigReference.Entry> e = entries();
    assertThat(e.get("bevt.data.mean").defaultValue()).isEqualTo("[1,2,3]");
    assertThat(e.get("bevt.data.extra").defaultValue()).isEqualTo("{}");
    assertThat(e.get("bevt.data.nothing").defaultValue()).isEqualTo("null");
    assertThat(e.get("bevt.data.lr").defaultValue()).isEqualTo("5e-4");
    // Typesafe Config stores integral numbers (0.0) as integers
    assertThat(e.get("bevt.data.color-jitter.hue").defaultValue()).isEqualTo("0");
    assertThat(e.get("bevt.data.lonely").defaultValue()).isEqualTo("3");
    assertThat(e.get("bevt.run.dir").defaultValue()).contains("${bevt.run.name}");
  }

  @Test
  void descriptionsComeFromTheCommentAboveAKeyItsOneLineObjectOrItsBlock() {
    Map<String, ConfigReference.Entry> e = entries();
    assertThat(e.get("bevt.plugins.dir").description()).isEqualTo("Folder of plugins.");
    assertThat(e.get("bevt.data.mean").description()).isEqualTo("Normalisation, RGB 0..255.");
    assertThat(e.get("bevt.data.color-jitter.brightness").description()).isEqualTo("Jitter factors.");
    assertThat(e.get("bevt.data.color-jitter.hue").description()).isEqualTo("Jitter factors.");
    assertThat(e.get("bevt.data.extra").description()).isEqualTo("Free-form | anything.");
    assertThat(e.get("bevt.opt.lr").description()).isEqualTo("(block `opt`) The optimizer.");
    assertThat(e.get("bevt.opt.inner.x").description()).isEqualTo("(block `opt`, see `bevt.opt.lr`)");
    assertThat(e.get("bevt.opt.y").description()).isEqualTo("Own.");
    ConfigReference.Section s = ConfigReference.read("Core", "reference.conf", ConfigFactory.parseString(CONF));
    assertThat(s.undocumented()).containsExactly("bevt.data.std", "bevt.data.lonely", "bevt.data.nothing");
  }

  @Test
  void unresolvedMergesAreShownAsWritten() {
    List<String> lines =
        List.of(
            "bevt {",
            "  # Probe data.",
            "  train-data = ${bevt.data.video} { mode = eval,",
            "      synthetic { size = 440 } }",
            "  # Run dir.",
            "  dir = \"runs/\"${bevt.run.name}",
            "}");
    ConfigReference.Section s =
        ConfigReference.read("Core", "r.conf", ConfigFactory.parseString(String.join("\n", lines)), lines);
    assertThat(s.entries())
        .extracting(ConfigReference.Entry::defaultValue)
        .containsExactly("${bevt.data.video} { mode = eval, synthetic { size = 440 } }", "\"runs/\"${bevt.run.name}");
  }

  @Test
  void numbersAreShownAsAHumanWouldWriteThem() {
    assertThat(ConfigReference.number(5e-4)).isEqualTo("5e-4");
    assertThat(ConfigReference.number(1e-8)).isEqualTo("1e-8");
    assertThat(ConfigReference.number(1.5e-5)).isEqualTo("1.5e-5");
    assertThat(ConfigReference.number(0.05)).isEqualTo("0.05");
    assertThat(ConfigReference.number(3.0)).isEqualTo("3.0");
    assertThat(ConfigReference.number(65536)).isEqualTo("65536");
    assertThat(ConfigReference.number(0.0)).isEqualTo("0.0");
  }

  @Test
  void markdownHasOneTablePerGroupAndEscapesPipes() {
    ConfigReference.Section s = ConfigReference.read("Core", "framework/core/reference.conf", ConfigFactory.parseString(CONF));
    String md = ConfigReference.markdown("# Title\n", List.of(s), 2);
    assertThat(md)
        .startsWith("# Title\n\n## Core\n\nSource: `framework/core/reference.conf`\n")
        .contains("### `bevt.data`\n\n| key | default | description |\n|---|---|---|\n| `bevt.data.mean` | `[1,2,3]` | Normalisation, RGB 0..255. |")
        .contains("| `bevt.data.extra` | `{}` | Free-form \\| anything. |")
        .contains("### `bevt.run`");
  }
}
