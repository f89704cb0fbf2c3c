package org.example.bevt4j.vitlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.bevt4j.io.WeightFileException;
import org.bevt4j.testkit.PluginReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VitLiteBackboneTest {
  @TempDir Path tmp;

  private static Config settings(String overrides) {
    return PluginReference.of(VitLiteBackboneFactory.class).settings(VitLiteSettings.PATH, VitLiteSmokeTest.TINY + ", " + overrides);
  }

  private static RuntimeBuildContext context(Config settings, String weights) {
    Config root =
        ConfigFactory.empty()
            .withValue("bevt.model.backbone.weights", ConfigValueFactory.fromAnyRef(weights))
            .withValue("bevt.model.backbone.vit-lite", settings.root());
    return new RuntimeBuildContext(Device.cpu(), 0, Path.of(""), root);
  }

  /**
   * An image is embedded as a clip of identical frames: with one temporal token (num-frames =
   * tubelet-size) and the zero-initialised time embedding, the image stream equals the video stream
   * on that static clip.
   */
  @Test
  void anImageIsAStaticClipOfOneTubelet() {
    Config s = settings("num-frames = 2");
    try (RuntimeBuildContext ctx = context(s, null); NDManager m = ctx.manager().newSubManager()) {
      VitLiteBackbone b = (VitLiteBackbone) new VitLiteBackboneFactory().create(s, ctx);
      NDArray image = m.randomNormal(new Shape(2, 3, 32, 32));
      NDArray clip = image.expandDims(2).repeat(2, 2);
      NDArray mask = m.randomUniform(0, 1, new Shape(2, 4, 4)).lt(0.5f);
      NDArray fromImage = b.forwardImage(image, mask, false).last().features();
      NDArray fromClip = b.forwardVideo(clip, mask.reshape(2, 1, 4, 4), false).last().features();
      assertThat(fromImage.getShape()).isEqualTo(new Shape(2, 16, 16));
      assertThat(fromImage.sub(fromClip).abs().max().getFloat()).isLessThan(1e-4f);
    }
  }

  @Test
  void aPretrainingCheckpointsBackbonePartLoadsThroughTheWeightsKey() throws Exception {
    Config s = settings("");
    Path file = tmp.resolve("model.safetensors");
    Map<String, TensorData> saved = new LinkedHashMap<>();
    try (RuntimeBuildContext ctx = context(s, null)) {
      Engine.getEngine("PyTorch").setRandomSeed(1);
      VitLiteBackbone b = (VitLiteBackbone) new VitLiteBackboneFactory().create(s, ctx);
      StateDictBinder.snapshot(b).forEach((k, v) -> saved.put("backbone." + k, v));
      saved.put("cls_head.lm_head.weight", saved.get("backbone.mask_token"));
      SafeTensors.write(file, saved);
    }
    try (RuntimeBuildContext ctx = context(s, file.toString())) {
      Engine.getEngine("PyTorch").setRandomSeed(2);
      VitLiteBackbone b = (VitLiteBackbone) new VitLiteBackboneFactory().create(s, ctx);
      StateDictBinder.snapshot(b).forEach((k, v) -> assertThat(v.toFloats()).as(k).containsExactly(saved.get("backbone." + k).toFloats()));
    }
  }

  @Test
  void weightsOfAnotherShapeAreRefusedNamingTheTensor() throws Exception {
    Path file = tmp.resolve("other.safetensors");
    try (RuntimeBuildContext ctx = context(settings("embed-dim = 32"), null)) {
      SafeTensors.write(file, StateDictBinder.snapshot(new VitLiteBackboneFactory().create(settings("embed-dim = 32"), ctx)));
    }
    try (RuntimeBuildContext ctx = context(settings(""), file.toString())) {
      assertThatThrownBy(() -> new VitLiteBackboneFactory().create(settings(""), ctx))
          .isInstanceOf(WeightFileException.class)
          .hasMessageContaining("mask_token: expected [1, 1, 16], found [1, 1, 32]");
    }
  }

  @Test
  void settingsErrorsNameTheKeyAndTheRule() {
    assertThatThrownBy(() -> VitLiteSettings.from(settings("img-size = 36")))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("bevt.model.backbone.vit-lite.img-size")
        .hasMessageContaining("not a multiple of patch-size 8");
    assertThatThrownBy(() -> VitLiteSettings.from(settings("num-heads = 3")))
        .hasMessageContaining("bevt.model.backbone.vit-lite.num-heads")
        .hasMessageContaining("embed-dim 16 is not divisible by 3 heads");
    assertThatThrownBy(() -> VitLiteSettings.from(settings("depth = \"deep\"")))
        .hasMessageContaining("bevt.model.backbone.vit-lite.depth")
        .hasMessageContaining("expected a number");
  }

  @Test
  void inputsOfAnotherSizeAreRefusedWithTheKeyToChange() {
    Config s = settings("");
    try (RuntimeBuildContext ctx = context(s, null); NDManager m = ctx.manager().newSubManager()) {
      VitLiteBackbone b = (VitLiteBackbone) new VitLiteBackboneFactory().create(s, ctx);
      assertThatThrownBy(() -> b.forwardImage(m.zeros(new Shape(1, 3, 48, 48)), null, false))
          .hasMessageContaining("img-size 32")
          .hasMessageContaining("bevt.model.backbone.vit-lite.img-size");
      assertThatThrownBy(() -> b.forwardVideo(m.zeros(new Shape(1, 3, 6, 32, 32)), null, false))
          .hasMessageContaining("num-frames = 4");
      assertThat(b.maskGrid(StreamKind.VIDEO, 4, 32, 32).size()).isEqualTo(32);
    }
  }
}
