package org.bevt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.core.config.ConfigReference;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} is generated from the reference.conf files (core, every bundled
 * plugin, the sample plugin): this test fails when it is out of date or when a key has no
 * description. Regenerate with {@value #REGENERATE}.
 */
class ConfigurationReferenceTest {
  static final String REGENERATE =
      "mvn -B -pl samples/verify -am verify -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dbevt4j.update-docs=true";
  static final String DOC = "docs/configuration.md";

  static List<ConfigReference.Section> sections() {
    List<ConfigReference.Section> out = new ArrayList<>();
    Path core = SourceTree.root().resolve("framework/core/src/main/resources/reference.conf");
    out.add(ConfigReference.read("Core", SourceTree.relative(core), core));
    for (SourceTree.PluginModule m : SourceTree.bundledPlugins()) {
      if (m.reference() != null) {
        out.add(ConfigReference.read("Plugin `" + m.id() + "`", SourceTree.relative(m.reference()), m.reference()));
      }
    }
    SourceTree.PluginModule sample = SourceTree.samplePlugin();
    out.add(
        ConfigReference.read(
            "Sample plugin `" + sample.id() + "` (samples/plugin-example, not bundled)", SourceTree.relative(sample.reference()), sample.reference()));
    return out;
  }

  static String preamble() {
    return String.join(
        "\n",
        "# Configuration reference",
        "",
        "<!-- GENERATED from the reference.conf files by org.bevt4j.core.config.ConfigReference; do not edit.",
        "     Regenerate: " + REGENERATE + " -->",
        "",
        "Every key bevt4j knows, with its default and what it does, generated from the `reference.conf` of",
        "core and of each plugin (a plugin's file holds only its own subtree). How the layers combine (core",
        "and plugin defaults, `conf/application.conf`, `--config`, `--set`, `-D`) and how validation works",
        "is described in the [user guide](user-guide.md#configuration).",
        "",
        "Reading the tables:",
        "",
        "- a key whose default is `null` is optional and accepts any value (its owner checks it);",
        "- a default of `{}` is a free-form block: any keys are accepted below it;",
        "- list elements (e.g. `bevt.train.stages`) are checked by their owner, not by the key schema;",
        "- `${...}` is a HOCON substitution, resolved after all layers are merged;",
        "- a description starting with (block `name`) is the comment of the enclosing block `name`, which",
        "  describes the keys inside it that have no comment of their own;",
        "- component settings live in a block named after the component `type`",
        "  (`bevt.model.backbone.type = video-swin` reads `bevt.model.backbone.video-swin { ... }`).",
        "");
  }

  @Test
  void everyKeyHasADescription() {
    List<String> missing = new ArrayList<>();
    for (ConfigReference.Section s : sections()) {
      s.undocumented().forEach(k -> missing.add(k + " (" + s.source() + ")"));
    }
    assertThat(missing).as("keys without a comment in their reference.conf; add one above each").isEmpty();
  }

  @Test
  void theDocumentIsUpToDate() throws IOException {
    String expected = ConfigReference.markdown(preamble(), sections(), 3);
    Path doc = SourceTree.root().resolve(DOC);
    if (Boolean.getBoolean("bevt4j.update-docs")) {
      Files.writeString(doc, expected, StandardCharsets.UTF_8);
    }
    assertThat(doc).as(DOC + " is missing; generate it with: " + REGENERATE).exists();
    String actual = Files.readString(doc, StandardCharsets.UTF_8);
    assertThat(actual).as(DOC + " is out of date with the reference.conf files; regenerate it with: " + REGENERATE).isEqualTo(expected);
  }

  @Test
  void everyBundledPluginWithSettingsHasASection() throws IOException {
    String doc = Files.readString(SourceTree.root().resolve(DOC), StandardCharsets.UTF_8);
    for (SourceTree.PluginModule m : SourceTree.bundledPlugins()) {
      if (m.reference() != null) {
        assertThat(doc).contains("## Plugin `" + m.id() + "`");
      }
    }
  }
}
