package org.bevt4j.timesformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.junit.jupiter.api.Test;

/** The decoders against a direct host computation of their documented design. */
class DecoderTest {
  static final int C = 8;

  static BackboneOutput output(StreamKind stream, NDArray tokens, TokenGrid grid) {
    return new BackboneOutput(stream, List.of(FeatureMap.sequence(VisionTransformer.TOKENS, tokens, grid, 1)));
  }

  static TimeSformerConfig config(int patch, int maskPatch, int tubelet) {
    return TrainingTest.tiny(
        ",\"img_size\":64,\"embed_dim\":" + C + ",\"num_heads\":2,\"patch_size\":" + patch + ",\"mask_patch_size\":" + maskPatch
            + ",\"tubelet_size\":" + tubelet);
  }

  /** Linear then LayerNorm (weights 1, bias 0 at init) on the host. */
  static float[] linearNorm(float[] w, float[] b, float[] x, int chunk, int width, double eps) {
    int out = b.length;
    float[] y = new float[out];
    for (int o = 0; o < out; o++) {
      double acc = b[o];
      for (int i = 0; i < x.length; i++) {
        acc += (double) w[o * x.length + i] * x[i];
      }
      y[o] = (float) acc;
    }
    float[] z = new float[width];
    double mean = 0;
    for (int i = 0; i < width; i++) {
      mean += y[chunk * width + i];
    }
    mean /= width;
    double var = 0;
    for (int i = 0; i < width; i++) {
      double d = y[chunk * width + i] - mean;
      var += d * d;
    }
    var /= width;
    for (int i = 0; i < width; i++) {
      z[i] = (float) ((y[chunk * width + i] - mean) / Math.sqrt(var + eps));
    }
    return z;
  }

  static float[] token(float[] seq, TokenGrid g, int t, int h, int w) {
    float[] out = new float[C];
    System.arraycopy(seq, (1 + (t * g.h() + h) * g.w() + w) * C, out, 0, C);
    return out;
  }

  static void assertRow(float[] actual, int row, float[] expected) {
    for (int i = 0; i < C; i++) {
      assertThat(actual[row * C + i]).as("row %d channel %d", row, i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f));
    }
  }

  @Test
  void identityPassesNormalisedPatchTokens() {
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      TimeSformerDecoder d = new TimeSformerDecoder(StreamKind.VIDEO, config(16, 16, 1));
      d.initialize(m);
      assertThat(d.isIdentity()).isTrue();
      assertThat(d.namedParameters()).isEmpty();
      TokenGrid g = new TokenGrid(4, 2, 3);
      NDArray seq = Tensors.randn(m, 1, 2, 1 + g.size(), C);
      NDArray out = d.decode(output(StreamKind.VIDEO, seq, g), true);
      assertThat(Tensors.relToMax(out, seq.get(":, 1:, :"))).isEqualTo(0);
      assertThat(d.targetGrid(new TokenGrid(2, 2, 3))).isEqualTo(g);
      assertThatThrownBy(() -> d.decode(output(StreamKind.IMAGE, seq, g), true)).hasMessageContaining("image backbone output");
    }
  }

  @Test
  void mergeAndTemporalSplit() {
    // patch 8, targets of 16 px: 2 x 2 tokens merge into one target; tubelets of 2 frames split in two
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      TimeSformerConfig c = config(8, 16, 2);
      TimeSformerDecoder d = new TimeSformerDecoder(StreamKind.VIDEO, c);
      d.initialize(m);
      assertThat(d.namedParameters().keySet())
          .containsExactly("lm_up_st.weight", "lm_up_st.bias", "lm_up_st_norm.weight", "lm_up_st_norm.bias");
      assertThat(d.namedParameters().get("lm_up_st.weight").shape()).isEqualTo(new Shape(2 * C, 4 * C));
      Tensors.randomise(d.namedParameters().get("lm_up_st.bias"), m, 0.5);
      TokenGrid g = new TokenGrid(2, 4, 6); // 4 frames, 32 x 48 px
      NDArray seq = Tensors.randn(m, 2, 1, 1 + g.size(), C);
      float[] out = d.decode(output(StreamKind.VIDEO, seq, g), false).toFloatArray();
      TokenGrid target = d.targetGrid(new VisionTransformer(c).maskGrid(StreamKind.VIDEO, 4, 32, 48));
      assertThat(target).isEqualTo(new TokenGrid(4, 2, 3));
      assertThat(out.length).isEqualTo(target.size() * C);
      float[] w = d.namedParameters().get("lm_up_st.weight").array().toFloatArray();
      float[] b = d.namedParameters().get("lm_up_st.bias").array().toFloatArray();
      float[] x = seq.toFloatArray();
      for (int t = 0; t < 2; t++) {
        for (int i = 0; i < 2; i++) {
          for (int j = 0; j < 3; j++) {
            float[] cat = new float[4 * C];
            int k = 0;
            for (int a = 0; a < 2; a++) {
              for (int bb = 0; bb < 2; bb++) {
                System.arraycopy(token(x, g, t, 2 * i + a, 2 * j + bb), 0, cat, k++ * C, C);
              }
            }
            for (int f = 0; f < 2; f++) {
              int row = ((t * 2 + f) * 2 + i) * 3 + j;
              assertRow(out, row, linearNorm(w, b, cat, f, C, c.layerNormEps()));
            }
          }
        }
      }
    }
  }

  @Test
  void spatialSplit() {
    // patch 16, targets of 8 px: each token splits into 2 x 2 targets
    try (NDManager m = NDManager.newBaseManager(); NDScope s = new NDScope()) {
      TimeSformerConfig c = config(16, 8, 1);
      TimeSformerDecoder d = new TimeSformerDecoder(StreamKind.IMAGE, c);
      d.initialize(m);
      assertThat(d.namedParameters().keySet()).containsExactly("lm_up.weight", "lm_up.bias", "lm_up_norm.weight", "lm_up_norm.bias");
      Tensors.randomise(d.namedParameters().get("lm_up.bias"), m, 0.5);
      TokenGrid g = TokenGrid.image(2, 3);
      NDArray seq = Tensors.randn(m, 3, 1, 1 + g.size(), C);
      float[] out = d.decode(output(StreamKind.IMAGE, seq, g), false).toFloatArray();
      TokenGrid mask = new VisionTransformer(c).maskGrid(StreamKind.IMAGE, 1, 32, 48);
      assertThat(mask).isEqualTo(TokenGrid.image(2, 3)); // one mask cell per 16-px token
      assertThat(d.targetGrid(mask)).isEqualTo(TokenGrid.image(4, 6));
      float[] w = d.namedParameters().get("lm_up.weight").array().toFloatArray();
      float[] b = d.namedParameters().get("lm_up.bias").array().toFloatArray();
      float[] x = seq.toFloatArray();
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 3; j++) {
          for (int a = 0; a < 2; a++) {
            for (int bb = 0; bb < 2; bb++) {
              int row = (2 * i + a) * 6 + 2 * j + bb;
              assertRow(out, row, linearNorm(w, b, token(x, g, 0, i, j), a * 2 + bb, C, c.layerNormEps()));
            }
          }
        }
      }
    }
  }
}
