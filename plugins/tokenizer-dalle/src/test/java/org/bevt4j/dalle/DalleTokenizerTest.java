package org.bevt4j.dalle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.bevt4j.io.WeightFileException;
import org.junit.jupiter.api.Test;

class DalleTokenizerTest {
  private static DalleSettings tiny() {
    return new DalleSettings(new DalleEncoderConfig(4, 8, 1, 3, 16), 0.1, 16, null);
  }

  @Test
  void structureFollowsUpstream() {
    DalleEncoder enc = new DalleEncoder(new DalleEncoderConfig(4, 8, 2, 3, 32));
    var keys = enc.namedParameters().keySet();
    assertThat(keys).first().isEqualTo("blocks.input.w");
    assertThat(keys).contains(
        "blocks.input.b",
        "blocks.group_1.block_2.res_path.conv_4.w",
        "blocks.group_2.block_1.id_path.w",
        "blocks.group_4.block_1.id_path.b",
        "blocks.output.conv.w");
    assertThat(keys).noneMatch(k -> k.startsWith("blocks.group_1.block_1.id_path"));
    assertThat(keys).noneMatch(k -> k.contains("block_2.id_path"));
    assertThat(keys).allMatch(k -> k.endsWith(".w") || k.endsWith(".b"));
    assertThat(enc.namedParameters().get("blocks.group_3.block_1.res_path.conv_1.w").shape())
        .isEqualTo(new Shape(8, 16, 3, 3));
    assertThat(enc.namedParameters().get("blocks.output.conv.w").shape()).isEqualTo(new Shape(32, 64, 1, 1));
    // upstream: (group_count * n_blk_per_group)^-2
    assertThat(new DalleEncoderConfig(4, 8, 2, 3, 32).postGain()).isEqualTo(1.0 / 64);
    assertThat(new DalleEncoderConfig(4, 8, 3, 3, 32).postGain()).isEqualTo(1.0 / 144);
  }

  @Test
  void mapPixelsUsesEps() {
    try (NDManager m = NDManager.newBaseManager()) {
      DalleTokenizer t = DalleTokenizer.create(new DalleSettings(new DalleEncoderConfig(4, 8, 1, 3, 16), 0.2, 16, null), m);
      float[] y = t.mapPixels(m.create(new float[] {0f, 0.5f, 1f})).toFloatArray();
      assertThat(y).containsExactly(0.2f, 0.5f, 0.8f);
    }
  }

  @Test
  void badInputIsRejectedWithWhatWasExpectedAndFound() {
    try (NDManager m = NDManager.newBaseManager()) {
      DalleTokenizer t = DalleTokenizer.create(tiny(), m);
      assertThatThrownBy(() -> t.encode(m.zeros(new Shape(3, 16, 16))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected pixels (N, 3, H, W)")
          .hasMessageContaining("(3, 16, 16)");
      assertThatThrownBy(() -> t.encode(m.zeros(new Shape(1, 1, 16, 16))))
          .hasMessageContaining("expected pixels (N, 3, H, W)")
          .hasMessageContaining("(1, 1, 16, 16)");
      assertThatThrownBy(() -> t.encode(m.full(new Shape(1, 3, 16, 16), 1.5f)))
          .hasMessageContaining("must be in [0, 1]")
          .hasMessageContaining("[1.5, 1.5]");
      NDArray neg = m.zeros(new Shape(1, 3, 16, 16));
      neg.set(new ai.djl.ndarray.index.NDIndex("0,0,0,0"), -0.25f);
      assertThatThrownBy(() -> t.encode(neg)).hasMessageContaining("[-0.25, 0.0]");
      assertThatThrownBy(() -> t.encode(m.zeros(new Shape(1, 3, 20, 16))))
          .hasMessageContaining("multiples of 8")
          .hasMessageContaining("20x16");
      assertThatThrownBy(() -> t.encode(m.zeros(new Shape(1, 3, 16, 16), DataType.UINT8)))
          .hasMessageContaining("float32")
          .hasMessageContaining("uint8");
      assertThatThrownBy(() -> t.grid(12, 16)).hasMessageContaining("12x16");
    }
  }

  @Test
  void encodeRunsWithoutGradientAndLeavesNoIntermediatesInTheCallersScope() {
    try (NDManager m = NDManager.newBaseManager()) {
      DalleTokenizer t = DalleTokenizer.create(tiny(), m);
      NDArray x = m.randomUniform(0f, 1f, new Shape(2, 3, 16, 16), DataType.FLOAT64);
      NDArray ids;
      try (NDScope outer = new NDScope()) {
        outer.suppressNotUsedWarning();
        ids = t.encode(x);
        assertThat(ids.getShape()).isEqualTo(new Shape(2, 2, 2));
        assertThat(ids.hasGradient()).isFalse();
        NDArray logits = t.logits(x);
        assertThat(logits.argMax(1).toLongArray()).containsExactly(ids.toLongArray());
      }
      // the result was handed to the caller's scope and closed with it
      assertThat(ids.isReleased()).isTrue();
      assertThat(x.isReleased()).isFalse();
    }
  }

  @Test
  void weightsAreFoundWithOrWithoutBevtAndEncoderPrefixes() {
    try (NDManager m = NDManager.newBaseManager()) {
      DalleTokenizer src = DalleTokenizer.create(tiny(), m);
      Map<String, TensorData> plain = StateDictBinder.snapshot(src);
      NDArray x = m.randomUniform(0f, 1f, new Shape(1, 3, 16, 16));
      long[] expected = src.encode(x).toLongArray();
      for (String prefix : new String[] {"", "cls_head.vae_encoder.", "encoder.", "module.cls_head.vae_encoder."}) {
        Map<String, TensorData> sd = new LinkedHashMap<>();
        sd.put("backbone.patch_embed.proj.weight", TensorData.ofFloats(new float[4], 2, 2));
        sd.put("cls_head.lm_head.weight", TensorData.ofFloats(new float[4], 2, 2));
        plain.forEach((k, v) -> sd.put(prefix + k, v));
        DalleTokenizer dst = DalleTokenizer.create(tiny(), m);
        var report = dst.load(new StateDict(sd, "bevt.pth"));
        assertThat(report.loaded()).hasSize(plain.size());
        assertThat(dst.encode(x).toLongArray()).as("prefix '%s'", prefix).containsExactly(expected);
        assertThat(dst.namedParameters().values()).allMatch(p -> !p.isTrainable());
      }
    }
  }

  @Test
  void wrongOrMissingWeightsAreReportedByKey() {
    try (NDManager m = NDManager.newBaseManager()) {
      DalleTokenizer t = DalleTokenizer.create(tiny(), m);
      Map<String, TensorData> sd = new LinkedHashMap<>(StateDictBinder.snapshot(t));
      sd.put("blocks.output.conv.w", TensorData.ofFloats(new float[64 * 32], 32, 64, 1, 1));
      sd.remove("blocks.group_2.block_1.id_path.b");
      assertThatThrownBy(() -> t.load(new StateDict(sd, "enc.safetensors")))
          .isInstanceOf(WeightFileException.class)
          .hasMessageContaining("enc.safetensors")
          .hasMessageContaining("blocks.output.conv.w: expected [16, 64, 1, 1], found [32, 64, 1, 1]")
          .hasMessageContaining("blocks.group_2.block_1.id_path.b");
      assertThatThrownBy(() -> t.load(new StateDict(Map.of("decoder.blocks.input.w", TensorData.ofFloats(new float[1], 1)), "x.safetensors")))
          .hasMessageContaining("no DALL-E encoder weights found")
          .hasMessageContaining("blocks.input.w")
          .hasMessageContaining("decoder.blocks.input.w");
    }
  }
}
