package org.bevt4j.peco.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.bevt4j.nn.Param;
import org.bevt4j.peco.VqganEncoderConfig;
import org.junit.jupiter.api.Test;

class VqAutoencoderTest {
  private static Shape shape(Map<String, Param> p, String key) {
    assertThat(p).containsKey(key);
    return p.get(key).shape();
  }

  @Test
  void decoderMirrorsTamingF16UnderItsNames() {
    // taming's ImageNet f16 VQGAN: ch 128, ch_mult (1,1,2,2,4), 2 res blocks, attention at 16 of 256.
    VqganEncoderConfig c = new VqganEncoderConfig(128, List.of(1, 1, 2, 2, 4), 2, List.of(16), 3, 256, 256, false, true, 32, 1e-6);
    Map<String, Param> p = new VqAutoencoder(c, 256, 1024).namedParameters(); // shapes only, nothing allocated
    assertThat(shape(p, "post_quant_conv.weight")).isEqualTo(new Shape(256, 256, 1, 1));
    assertThat(shape(p, "decoder.conv_in.weight")).isEqualTo(new Shape(512, 256, 3, 3));
    assertThat(shape(p, "decoder.mid.attn_1.q.weight")).isEqualTo(new Shape(512, 512, 1, 1));
    assertThat(shape(p, "decoder.mid.block_2.conv2.weight")).isEqualTo(new Shape(512, 512, 3, 3));
    // up.4 (lowest resolution 16): three blocks 512 -> 512, each with attention, then an upsample
    assertThat(shape(p, "decoder.up.4.block.2.conv1.weight")).isEqualTo(new Shape(512, 512, 3, 3));
    assertThat(shape(p, "decoder.up.4.attn.2.proj_out.weight")).isEqualTo(new Shape(512, 512, 1, 1));
    assertThat(shape(p, "decoder.up.4.upsample.conv.weight")).isEqualTo(new Shape(512, 512, 3, 3));
    // up.3: 512 -> 256 needs a shortcut in its first block only
    assertThat(shape(p, "decoder.up.3.block.0.nin_shortcut.weight")).isEqualTo(new Shape(256, 512, 1, 1));
    assertThat(p).doesNotContainKey("decoder.up.3.block.1.nin_shortcut.weight");
    assertThat(shape(p, "decoder.up.1.block.0.nin_shortcut.weight")).isEqualTo(new Shape(128, 256, 1, 1));
    // no attention above the lowest level, no upsample on level 0
    assertThat(p.keySet()).noneMatch(k -> k.startsWith("decoder.up.3.attn") || k.startsWith("decoder.up.0.upsample"));
    assertThat(shape(p, "decoder.norm_out.weight")).isEqualTo(new Shape(128));
    assertThat(shape(p, "decoder.conv_out.weight")).isEqualTo(new Shape(3, 128, 3, 3));
    // levels are registered in index order, as upstream's ModuleList
    List<String> keys = List.copyOf(p.keySet());
    assertThat(keys.indexOf("decoder.up.0.block.0.norm1.weight")).isLessThan(keys.indexOf("decoder.up.4.block.0.norm1.weight"));
    assertThat(keys.stream().filter(k -> k.startsWith("decoder.up.2.block.") && k.endsWith("conv1.weight")).count()).isEqualTo(3);
  }

  @Test
  void autoencoderRestoresTheInputShape() {
    VqganEncoderConfig c = new VqganEncoderConfig(8, List.of(1, 2, 2), 1, List.of(4), 3, 16, 8, false, true, 4, 1e-6);
    try (NDManager m = NDManager.newBaseManager()) {
      VqAutoencoder ae = new VqAutoencoder(c, 6, 10);
      ae.initialize(m);
      NDArray x = m.randomUniform(-1f, 1f, new Shape(2, 3, 16, 24));
      NDArray z = ae.latent(x);
      assertThat(z.getShape()).isEqualTo(new Shape(2, 6, 4, 6));
      assertThat(ae.decode(z).getShape()).isEqualTo(new Shape(2, 3, 16, 24));
    }
  }

  @Test
  void upsampleGradientSumsEachBlock() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      x.setRequiresGradient(true);
      NDArray w = m.arange(16f).reshape(1, 1, 4, 4);
      try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
        gc.backward(Upsample.nearest2x(x).mul(w).sum());
      }
      // block (0,0) holds w 0, 1, 4, 5
      assertThat(x.getGradient().toFloatArray()).containsExactly(10, 18, 42, 50);
    }
  }

  @Test
  void upsampleIsNearestNeighbour() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      assertThat(Upsample.nearest2x(x).toFloatArray())
          .containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
    }
  }
}
