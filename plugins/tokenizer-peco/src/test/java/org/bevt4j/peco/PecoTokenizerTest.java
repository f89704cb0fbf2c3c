package org.bevt4j.peco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.bevt4j.io.WeightFileException;
import org.junit.jupiter.api.Test;

class PecoTokenizerTest {
  private static PecoSettings tiny(PixelRange range) {
    VqganEncoderConfig enc = new VqganEncoderConfig(8, List.of(1, 2, 2), 1, List.of(4), 3, 8, 8, false, true, 4, 1e-6);
    return new PecoSettings(enc, 4, 16, 8, range, PecoSettings.IMAGENET_MEAN, PecoSettings.IMAGENET_STD, null, List.of());
  }

  @Test
  void quantizerPicksTheNearestCodeWithTiesToTheFirstIndex() {
    try (NDManager m = NDManager.newBaseManager()) {
      VectorQuantizer q = new VectorQuantizer(4, 2);
      q.initialize(m);
      // codes: (0,0), (1,0), (1,0) duplicate, (0,3)
      q.codebook().copyFrom(m.create(new float[] {0, 0, 1, 0, 1, 0, 0, 3}, new Shape(4, 2)));
      // z (1, 2, 1, 3): positions (0.9, 0.1) -> 1 (tie with 2), (0.1, 2.5) -> 3, (0.4, 0) -> 0
      NDArray z = m.create(new float[] {0.9f, 0.1f, 0.4f, 0.1f, 2.5f, 0f}, new Shape(1, 2, 1, 3));
      NDArray ids = q.ids(z);
      assertThat(ids.getShape()).isEqualTo(new Shape(1, 1, 3));
      assertThat(ids.toLongArray()).containsExactly(1, 3, 0);
      float[] d = q.distances(q.flatten(z)).toFloatArray();
      // |(0.9,0.1) - (0,3)|^2 = 0.81 + 8.41
      assertThat(d[3]).isCloseTo(9.22f, within(1e-5f));
      assertThat(q.lookup(ids).toFloatArray()).containsExactly(1, 0, 0, 0, 3, 0);
    }
  }

  @Test
  void chunkedNearestCodeEqualsTheFullArgmin() {
    try (NDManager m = NDManager.newBaseManager()) {
      VectorQuantizer q = new VectorQuantizer(37, 3);
      q.initialize(m);
      NDArray z = m.randomNormal(new Shape(2, 3, 5, 7)).mul(0.05f);
      NDArray flat = q.flatten(z);
      long[] full = q.distances(flat).argMin(1).toLongArray();
      assertThat(q.nearest(flat, 4).toLongArray()).containsExactly(full);
      assertThat(q.nearest(flat, 1000).toLongArray()).containsExactly(full);
      assertThat(q.ids(z).reshape(-1).toLongArray()).containsExactly(full);
      // rows are (b, h, w): row 1 is batch 0, h 0, w 1
      float[] row1 = flat.get(1).toFloatArray();
      assertThat(row1[2]).isEqualTo(z.get(0, 2, 0, 1).getFloat());
    }
  }

  @Test
  void pixelRangesMapZeroOneInput() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray p = m.create(new float[] {0f, 0.5f, 1f}).reshape(1, 3, 1, 1);
      assertThat(PixelRange.MINUS_ONE_ONE.apply(p, null, null).toFloatArray()).containsExactly(-1f, 0f, 1f);
      assertThat(PixelRange.ZERO_ONE.apply(p, null, null).toFloatArray()).containsExactly(0f, 0.5f, 1f);
      float[] ms = PixelRange.MEAN_STD.apply(p, List.of(0.5, 0.5, 0.5), List.of(0.25, 0.5, 0.25)).toFloatArray();
      assertThat(ms).containsExactly(-2f, 0f, 2f);
    }
  }

  @Test
  void badInputIsRejectedWithWhatWasExpectedAndFound() {
    try (NDManager m = NDManager.newBaseManager()) {
      PecoTokenizer t = PecoTokenizer.create(tiny(PixelRange.MINUS_ONE_ONE), m);
      assertThatThrownBy(() -> t.encode(m.zeros(new Shape(8, 8))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected pixels (N, 3, H, W)")
          .hasMessageContaining("(8, 8)");
      assertThatThrownBy(() -> t.encode(m.zeros(new Shape(2, 4, 8, 8))))
          .hasMessageContaining("expected pixels (N, 3, H, W)")
          .hasMessageContaining("(2, 4, 8, 8)");
      assertThatThrownBy(() -> t.encode(m.full(new Shape(1, 3, 8, 8), -1f)))
          .hasMessageContaining("must be in [0, 1]")
          .hasMessageContaining("[-1.0, -1.0]");
      assertThatThrownBy(() -> t.encode(m.zeros(new Shape(1, 3, 8, 6))))
          .hasMessageContaining("multiples of 4")
          .hasMessageContaining("8x6");
      assertThatThrownBy(() -> t.encode(m.zeros(new Shape(1, 3, 8, 8), DataType.INT32)))
          .hasMessageContaining("float32")
          .hasMessageContaining("int32");
      NDArray nan = m.zeros(new Shape(1, 3, 8, 8));
      nan.set(new NDIndex("0,0,0,0"), Float.NaN);
      assertThatThrownBy(() -> t.encode(nan)).hasMessageContaining("NaN");
      assertThatThrownBy(() -> t.grid(8, 10)).hasMessageContaining("8x10");
    }
  }

  @Test
  void encodeAgreesWithTheDetailedPathAndStaysOutOfTheGraph() {
    try (NDManager m = NDManager.newBaseManager()) {
      PecoTokenizer t = PecoTokenizer.create(tiny(PixelRange.MEAN_STD), m);
      NDArray x = m.randomUniform(0f, 1f, new Shape(3, 3, 8, 12));
      VqEncoding e;
      NDArray ids;
      try (NDScope outer = new NDScope()) {
        outer.suppressNotUsedWarning();
        ids = t.encode(x);
        e = t.encodeDetailed(x);
        assertThat(ids.getShape()).isEqualTo(new Shape(3, 2, 3));
        assertThat(ids.toLongArray()).containsExactly(e.ids().toLongArray());
        assertThat(e.distances().getShape()).isEqualTo(new Shape(18, 16));
        assertThat(e.zq().getShape()).isEqualTo(e.z().getShape());
        assertThat(e.h().getShape()).isEqualTo(new Shape(3, 8, 2, 3));
        assertThat(ids.hasGradient()).isFalse();
        // the normalised model-input path gives the same ids
        VqEncoding viaModelInput = t.encodeDetailedFromModelInput(t.normalize(x));
        assertThat(viaModelInput.ids().toLongArray()).containsExactly(ids.toLongArray());
      }
      assertThat(ids.isReleased()).isTrue();
      assertThat(e.distances().isReleased()).isTrue();
      assertThat(x.isReleased()).isFalse();
    }
  }

  @Test
  void weightsSelectTheEncodePathAndReportBadKeys() {
    try (NDManager m = NDManager.newBaseManager()) {
      PecoTokenizer src = PecoTokenizer.create(tiny(PixelRange.MINUS_ONE_ONE), m);
      Map<String, TensorData> sd = new LinkedHashMap<>(StateDictBinder.snapshot(src));
      sd.put("decoder.conv_in.weight", TensorData.ofFloats(new float[2], 2));
      sd.put("post_quant_conv.weight", TensorData.ofFloats(new float[2], 2));
      sd.put("loss.logvar", TensorData.ofFloats(new float[1], 1));
      PecoTokenizer dst = PecoTokenizer.create(tiny(PixelRange.MINUS_ONE_ONE), m);
      var report = dst.load(new StateDict(sd, "vq.ckpt"));
      assertThat(report.loaded()).hasSize(src.namedParameters().size());
      NDArray x = m.randomUniform(0f, 1f, new Shape(1, 3, 8, 8));
      assertThat(dst.encode(x).toLongArray()).containsExactly(src.encode(x).toLongArray());

      sd.put("quantize.embedding.weight", TensorData.ofFloats(new float[16 * 5], 16, 5));
      sd.remove("encoder.mid.attn_1.q.bias");
      sd.put("quantize.used", TensorData.ofLongs(new long[] {1}, 1));
      assertThatThrownBy(() -> dst.load(new StateDict(sd, "vq.ckpt")))
          .isInstanceOf(WeightFileException.class)
          .hasMessageContaining("vq.ckpt")
          .hasMessageContaining("quantize.embedding.weight: expected [16, 4], found [16, 5]")
          .hasMessageContaining("encoder.mid.attn_1.q.bias")
          .hasMessageContaining("quantize.used");
    }
  }
}
