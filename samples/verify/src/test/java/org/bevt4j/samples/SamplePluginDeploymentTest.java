package org.bevt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.plugin.BevtPluginClassLoader;
import org.bevt4j.core.plugin.PluginInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

/**
 * The sample plugin's zip, dropped into a plugins folder next to the bundled zips, loads in
 * deployment mode (as in the distribution), provides its extensions, validates its example
 * configuration, and builds and runs from the zip's own class loader.
 */
class SamplePluginDeploymentTest {
  @TempDir static Path tmp;
  private static BevtRuntime rt;

  static Path exampleConf() {
    return SourceTree.root().resolve("samples/plugin-example/example.conf");
  }

  @BeforeAll
  static void open() throws Exception {
    Path plugins = PluginZips.copyAll(tmp.resolve("plugins"));
    rt =
        BevtRuntime.builder()
            .pluginsDir(plugins)
            .mode(RuntimeMode.DEPLOYMENT)
            .configFile(exampleConf())
            .systemProperties(false)
            .workDir(tmp)
            .open();
  }

  @AfterAll
  static void close() {
    if (rt != null) {
      rt.close();
    }
  }

  @Test
  void theSamplePluginStartsNextToTheBundledOnes() {
    assertThat(rt.plugins().problems()).isEmpty();
    assertThat(rt.extensionFailures()).isEmpty();
    assertThat(rt.plugins().plugins()).extracting(PluginInfo::id).contains("vit-lite", "tokenizer-dalle", "tokenizer-peco", "timesformer");
    assertThat(rt.plugins().plugins()).allMatch(PluginInfo::started);
    assertThat(rt.registries().backbones().whichPlugin("vit-lite")).isEqualTo("vit-lite");
    assertThat(rt.registries().decoders(StreamKind.VIDEO).whichPlugin("vit-lite-video")).isEqualTo("vit-lite");
    assertThat(rt.registries().decoders(StreamKind.IMAGE).whichPlugin("vit-lite-image")).isEqualTo("vit-lite");
    assertThat(rt.extensionsByOwner().get("vit-lite")).isNotEmpty();
  }

  @Test
  void itsExampleConfigurationValidates() {
    rt.validate();
    assertThat(rt.config().getString("bevt.model.backbone.type")).isEqualTo("vit-lite");
    // the plugin's reference.conf supplied the keys example.conf leaves out
    assertThat(rt.config().getInt("bevt.model.backbone.vit-lite.in-chans")).isEqualTo(3);
  }

  @Test
  void itsBackboneAndDecodersRunFromThePluginClassLoaderOnTheTokenizerGrid() {
    try (RuntimeBuildContext ctx = rt.newBuildContext(); NDManager m = ctx.manager().newSubManager()) {
      Backbone backbone = rt.buildBackbone(ctx);
      Tokenizer tokenizer = rt.buildTokenizer(ctx);
      Decoder video = rt.buildDecoder(StreamKind.VIDEO, ctx);
      Decoder image = rt.buildDecoder(StreamKind.IMAGE, ctx);
      assertThat(backbone.getClass().getClassLoader()).isInstanceOf(BevtPluginClassLoader.class);
      assertThat(video.getClass().getClassLoader()).isSameAs(backbone.getClass().getClassLoader());

      int frames = rt.config().getInt("bevt.data.video.clip-len");
      int crop = rt.config().getInt("bevt.data.video.crop-size");
      TokenGrid perFrame = tokenizer.grid(tokenizer.inputSize(), tokenizer.inputSize());
      TokenGrid maskGrid = backbone.maskGrid(StreamKind.VIDEO, frames, crop, crop);
      assertThat(video.targetGrid(maskGrid)).isEqualTo(new TokenGrid(frames, perFrame.h(), perFrame.w()));

      NDArray clip = m.randomNormal(new Shape(2, 3, frames, crop, crop));
      NDArray mask = m.randomUniform(0, 1, new Shape(2, maskGrid.t(), maskGrid.h(), maskGrid.w())).lt(0.5f);
      BackboneOutput out = backbone.forwardVideo(clip, mask, false);
      assertThat(video.decode(out, false).getShape()).isEqualTo(new Shape(2, (long) frames * perFrame.plane(), video.featureDim()));

      NDArray images = m.randomNormal(new Shape(3, 3, crop, crop));
      assertThat(image.decode(backbone.forwardImage(images, null, false), false).getShape())
          .isEqualTo(new Shape(3, perFrame.plane(), image.featureDim()));
    }
  }

  /** The plugin's settings record is checked by {@code validate()}, through the factory's hook. */
  @Test
  void itsSettingsErrorsAreCaughtByValidation() throws Exception {
    try (BevtRuntime bad =
        BevtRuntime.builder()
            .pluginsDir(tmp.resolve("plugins"))
            .mode(RuntimeMode.DEPLOYMENT)
            .configFile(exampleConf())
            .set("bevt.model.backbone.vit-lite.img-size=36")
            .systemProperties(false)
            .workDir(tmp)
            .open()) {
      assertThatThrownBy(bad::validate)
          .isInstanceOf(BevtConfigException.class)
          .hasMessageContaining("bevt.model.backbone.vit-lite.img-size (--set")
          .hasMessageContaining("not a multiple of patch-size 8");
    }
  }
}
