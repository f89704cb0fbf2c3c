package org.bevt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.data.StreamSettings;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.bevt4j.core.finetune.FinetuneJob;
import org.bevt4j.core.finetune.FinetuneSettings;
import org.bevt4j.core.train.RunSettings;
import org.bevt4j.core.train.TrainSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pf4j.RuntimeMode;

/**
 * Every {@code samples/configs/*.conf} (shipped in the distribution's {@code samples/}) loads and
 * validates against core and the repository's plugins (development mode): every key is a real key
 * of the right kind, every component type is installed, the registered settings checks pass, and
 * the masking, data, pretraining and fine-tuning settings build.
 */
class ConfigExamplesTest {
  @TempDir Path tmp;

  static Stream<Path> configs() {
    List<Path> all = SourceTree.sampleConfigs();
    assertThat(all).as("samples/configs/*.conf").isNotEmpty();
    return all.stream();
  }

  private BevtRuntime open(Path conf, String... sets) {
    return BevtRuntime.builder()
        .configFile(conf)
        .sets(List.of(sets))
        .mode(RuntimeMode.DEVELOPMENT)
        .pluginsDir(SourceTree.root().resolve("plugins"))
        .systemProperties(false)
        .workDir(tmp)
        .open();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void validates(Path conf) {
    try (BevtRuntime rt = open(conf)) {
      assertThat(rt.plugins().problems()).as("plugins of the source tree").isEmpty();
      rt.validate();
      try (RuntimeBuildContext ctx = new RuntimeBuildContext(Device.cpu(), 0, conf.getParent(), rt.config())) {
        for (StreamKind s : StreamKind.values()) {
          assertThat(rt.buildMasker(s, ctx)).isNotNull();
          StreamSettings data = StreamSettings.parse(rt.config().getConfig("bevt.data." + s.configName()), null);
          assertThat(data.stream()).isEqualTo(s);
        }
        LoaderSettings.parse(rt.config().getConfig("bevt.data.loader"));
      }
      // what bevt4j finetune checks, and the data blocks it reads
      FinetuneSettings ft = FinetuneJob.settings(rt);
      FinetuneJob.validate(rt, ft);
      assertThat(StreamSettings.parse(ft.trainData(), null).stream()).isEqualTo(StreamKind.VIDEO);
      StreamSettings.parse(ft.valData(), null);
      TrainSettings train = TrainSettings.from(rt.config());
      assertThat(train.stages()).as(conf + ": stages").isNotEmpty();
      RunSettings.from(rt.config());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void startsWithAnExplanationAndNamesItsRun(Path conf) throws IOException {
    List<String> lines = Files.readAllLines(conf, StandardCharsets.UTF_8);
    assertThat(lines.get(0)).as(conf + ": first line").startsWith("# " + conf.getFileName() + ":");
    try (BevtRuntime rt = open(conf)) {
      String name = conf.getFileName().toString().replace(".conf", "");
      assertThat(rt.config().getString("bevt.run.name")).as(conf + ": bevt.run.name").isEqualTo(name);
    }
  }

  /** Validation reaches into the plugins' settings: a bad value in a sample is caught before any work. */
  @Test
  void pluginSettingsErrorsAreCaughtByValidation() {
    Path tiny = SourceTree.root().resolve("samples/configs/tiny.conf");
    try (BevtRuntime rt =
        open(tiny, "bevt.model.backbone.video-swin.window-size=[2, 2]", "bevt.model.tokenizer.dalle.input-size=30")) {
      assertThatThrownBy(rt::validate)
          .isInstanceOf(BevtConfigException.class)
          .hasMessageContaining("bevt.model.backbone.video-swin.window-size")
          .hasMessageContaining("bevt.model.tokenizer.dalle.input-size");
    }
  }
}
