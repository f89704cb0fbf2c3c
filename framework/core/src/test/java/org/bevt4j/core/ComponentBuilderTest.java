package org.bevt4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.BevtPluginException;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.config.ConfigLoader;
import org.bevt4j.core.config.ConfigRequest;
import org.bevt4j.core.config.LoadedConfig;
import org.bevt4j.core.registry.Registries;
import org.bevt4j.core.testing.Fakes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentBuilderTest {
  @TempDir Path tmp;

  private final Fakes.BackboneF swin = new Fakes.BackboneF("video-swin", "swin-dec");
  private final Fakes.BackboneF tsf = new Fakes.BackboneF("timesformer", "tsf-dec");
  private final Fakes.DecoderF swinImage = new Fakes.DecoderF("swin-dec", StreamKind.IMAGE);
  private final Fakes.DecoderF swinVideo = new Fakes.DecoderF("swin-dec", StreamKind.VIDEO);
  private final Fakes.DecoderF linear = new Fakes.DecoderF("linear", StreamKind.VIDEO);
  private final Fakes.MaskerF tube = new Fakes.MaskerF("tube");
  private final Fakes.MaskerF block = new Fakes.MaskerF("block");
  private final Fakes.DatasetF synthetic = new Fakes.DatasetF("synthetic", null);
  private final Fakes.DatasetF broken = new Fakes.DatasetF("broken", new IllegalArgumentException("no such folder"));

  private Registries registries() {
    return Registries.builder()
        .backbone(swin, "video-swin")
        .backbone(tsf, "timesformer")
        .decoder(swinImage, "video-swin")
        .decoder(swinVideo, "video-swin")
        .decoder(linear, "core")
        .masker(tube, "core")
        .masker(block, "core")
        .dataset(synthetic, "core")
        .dataset(broken, "core")
        .build();
  }

  private LoadedConfig load(String text) throws Exception {
    Path f = tmp.resolve("run.conf");
    Files.writeString(f, text);
    var pluginRef =
        ConfigFactory.parseString(
            "bevt.model.backbone.video-swin { depth = 2 }\n"
                + "bevt.model.backbone.timesformer { depth = 12 }\n"
                + "bevt.model.decoder.video.linear { width = 4 }\n");
    return ConfigLoader.load(new ConfigRequest(f, List.of(), null, null, tmp), Map.of("p", pluginRef));
  }

  private RuntimeBuildContext ctx(LoadedConfig c) {
    return new RuntimeBuildContext(Device.cpu(), 7, c.baseDir(), c.config());
  }

  @Test
  void eachFactoryGetsItsDocumentedSubtree() throws Exception {
    LoadedConfig c =
        load(
            """
            bevt.model.backbone.video-swin.depth = 3
            bevt.model.decoder.video.type = linear
            bevt.masking.video.type = tube
            bevt.data.video.type = synthetic
            """);
    ComponentBuilder b = new ComponentBuilder(c.config(), registries());
    try (RuntimeBuildContext ctx = ctx(c)) {
      var backbone = b.backbone(ctx);
      assertThat(ctx.backbone()).containsSame(backbone);
      assertThat(swin.lastSettings.root().keySet()).containsExactly("depth");
      assertThat(swin.lastSettings.getInt("depth")).isEqualTo(3);
      assertThat(swin.lastContext).isSameAs(ctx);

      b.decoder(StreamKind.VIDEO, ctx);
      assertThat(linear.lastSettings.getInt("width")).isEqualTo(4);
      b.decoder(StreamKind.IMAGE, ctx); // default: the backbone's own
      assertThat(swinImage.lastContext).isSameAs(ctx);
      assertThat(swinImage.lastSettings.isEmpty()).isTrue();

      b.masker(StreamKind.VIDEO, ctx);
      assertThat(tube.lastSettings.getString("type")).isEqualTo("tube"); // the stream subtree
      b.masker(StreamKind.IMAGE, ctx);
      assertThat(block.lastSettings.getString("type")).isEqualTo("block");
      b.dataset(StreamKind.VIDEO, ctx);
      assertThat(synthetic.lastSettings.getString("type")).isEqualTo("synthetic");
    }
  }

  @Test
  void unknownBackboneTypeGoldenMessage() throws Exception {
    LoadedConfig c = load("bevt {\n  model {\n    backbone {\n      type = video-swn\n    }\n  }\n}\n");
    ComponentBuilder b = new ComponentBuilder(c.config(), registries());
    try (RuntimeBuildContext ctx = ctx(c)) {
      assertThatThrownBy(() -> b.backbone(ctx))
          .isInstanceOf(BevtConfigException.class)
          .hasMessage("backbone type \"video-swn\" (run.conf: 4) is unknown; known: [timesformer, video-swin]; did you mean \"video-swin\"?");
    }
  }

  @Test
  void factoryFailuresNameTheComponentAndItsPlugin() throws Exception {
    LoadedConfig c = load("bevt.data.image.type = broken\n");
    ComponentBuilder b = new ComponentBuilder(c.config(), registries());
    try (RuntimeBuildContext ctx = ctx(c)) {
      assertThatThrownBy(() -> b.dataset(StreamKind.IMAGE, ctx))
          .isInstanceOf(BevtPluginException.class)
          .hasMessageContaining("dataset \"broken\" (plugin core) failed")
          .hasMessageContaining("no such folder");
    }
  }

  @Test
  void defaultDecoderNeedsTheBackboneFirst() throws Exception {
    LoadedConfig c = load("");
    ComponentBuilder b = new ComponentBuilder(c.config(), registries());
    try (RuntimeBuildContext ctx = ctx(c)) {
      assertThatThrownBy(() -> b.decoder(StreamKind.VIDEO, ctx)).hasMessageContaining("build the backbone before the decoders");
    }
  }

  @Test
  void contextResolvesPathsAgainstTheConfigFileDirectory() throws Exception {
    LoadedConfig c = load("");
    try (RuntimeBuildContext ctx = ctx(c)) {
      assertThat(ctx.resolvePath("weights/w.safetensors")).isEqualTo(tmp.toAbsolutePath().resolve("weights/w.safetensors"));
      assertThat(ctx.resolvePath("/abs/x")).isEqualTo(Path.of("/abs/x"));
      assertThat(ctx.resolvePath("~/y")).isEqualTo(Path.of(System.getProperty("user.home"), "y"));
      assertThat(ctx.seed()).isEqualTo(7);
      assertThat(ctx.manager().getDevice()).isEqualTo(Device.cpu());
      assertThat(ctx.rootConfig()).isSameAs(c.config());
    }
  }

  @Test
  void devicesMapToTheEngine() {
    assertThat(Devices.select("cpu", "x")).isEqualTo(Device.cpu());
    assertThat(Devices.select("auto", "x")).isNotNull();
    if (ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0) {
      assertThatThrownBy(() -> Devices.select("gpu", "run.conf: 2"))
          .isInstanceOf(BevtConfigException.class)
          .hasMessageContaining("bevt.train.device (run.conf: 2): gpu was requested but PyTorch sees no GPU");
    }
  }
}
