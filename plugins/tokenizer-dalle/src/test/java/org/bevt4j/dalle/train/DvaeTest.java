package org.bevt4j.dalle.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.bevt4j.dalle.DalleEncoder;
import org.bevt4j.dalle.DalleEncoderConfig;
import org.bevt4j.nn.Param;
import org.junit.jupiter.api.Test;

class DvaeTest {
  private static Shape shape(Map<String, Param> p, String key) {
    assertThat(p).containsKey(key);
    return p.get(key).shape();
  }

  @Test
  void decoderHasTheUpstreamStructureAndNames() {
    Map<String, Param> p = new DalleDecoder(DalleDecoderConfig.released()).namedParameters(); // shapes only
    assertThat(shape(p, "blocks.input.w")).isEqualTo(new Shape(128, 8192, 1, 1));
    assertThat(shape(p, "blocks.group_1.block_1.id_path.w")).isEqualTo(new Shape(2048, 128, 1, 1));
    assertThat(shape(p, "blocks.group_1.block_1.res_path.conv_1.w")).isEqualTo(new Shape(512, 128, 1, 1));
    assertThat(shape(p, "blocks.group_1.block_1.res_path.conv_4.w")).isEqualTo(new Shape(2048, 512, 3, 3));
    assertThat(p).doesNotContainKey("blocks.group_1.block_2.id_path.w");
    assertThat(shape(p, "blocks.group_2.block_1.id_path.w")).isEqualTo(new Shape(1024, 2048, 1, 1));
    assertThat(shape(p, "blocks.group_4.block_2.res_path.conv_2.w")).isEqualTo(new Shape(64, 64, 3, 3));
    assertThat(shape(p, "blocks.output.conv.w")).isEqualTo(new Shape(6, 256, 1, 1));
    assertThat(shape(p, "blocks.output.conv.b")).isEqualTo(new Shape(6));
    // 1 input conv + 8 blocks x 4 convs + 4 id_paths (n_init 128 -> 2048 too) + output, each with w and b
    assertThat(p).hasSize(2 * (1 + 8 * 4 + 4 + 1));
    assertThat(DalleDecoderConfig.released().postGain()).isEqualTo(1.0 / 64);
  }

  @Test
  void decoderUpsamplesEightTimes() {
    try (NDManager m = NDManager.newBaseManager()) {
      DalleDecoder d = new DalleDecoder(new DalleDecoderConfig(4, 8, 8, 1, 3, 16));
      d.initialize(m);
      NDArray z = Relaxation.oneHot(m.randomInteger(0, 16, new Shape(2, 3, 5), ai.djl.ndarray.types.DataType.INT64), 16);
      assertThat(z.getShape()).isEqualTo(new Shape(2, 16, 3, 5));
      assertThat(d.forward(z).getShape()).isEqualTo(new Shape(2, 6, 24, 40));
    }
  }

  @Test
  void encoderStageOutputsStopAtTheDeepestRequested() {
    try (NDManager m = NDManager.newBaseManager()) {
      DalleEncoder e = new DalleEncoder(new DalleEncoderConfig(4, 8, 1, 3, 16));
      e.initialize(m);
      NDArray x = m.randomUniform(0f, 1f, new Shape(1, 3, 32, 32));
      List<NDArray> f = e.stageOutputs(x, List.of("blocks.group_2", "blocks.input"));
      assertThat(f.get(0).getShape()).isEqualTo(new Shape(1, 16, 8, 8));
      assertThat(f.get(1).getShape()).isEqualTo(new Shape(1, 8, 32, 32));
      Map<String, NDArray> all = e.forwardWithIntermediates(x);
      assertThat(f.get(0).toFloatArray()).containsExactly(all.get("blocks.group_2").toFloatArray());
      assertThat(all.get("blocks.output").getShape()).isEqualTo(new Shape(1, 16, 4, 4));
    }
  }

  @Test
  void rampsFollowTheirCurves() {
    Ramp cos = new Ramp(Ramp.Shape.COSINE, 1.0, 1.0 / 16, 100);
    assertThat(cos.at(0)).isEqualTo(1.0);
    assertThat(cos.at(50)).isCloseTo((1.0 + 1.0 / 16) / 2, within(1e-12));
    assertThat(cos.at(25)).isCloseTo(1.0 / 16 + (1 - 1.0 / 16) * (1 + Math.cos(Math.PI / 4)) / 2, within(1e-12));
    assertThat(cos.at(100)).isEqualTo(1.0 / 16);
    assertThat(cos.at(1000)).isEqualTo(1.0 / 16);
    Ramp lin = new Ramp(Ramp.Shape.LINEAR, 0, 6.6, 5000);
    assertThat(lin.at(1250)).isCloseTo(1.65, within(1e-12));
    Ramp exp = new Ramp(Ramp.Shape.EXPONENTIAL, 1, 0.01, 10);
    assertThat(exp.at(5)).isCloseTo(0.1, within(1e-12));
    assertThat(new Ramp(Ramp.Shape.COSINE, 0, 0.5, 0).at(0)).isEqualTo(0.5);
    // the KL weight rises monotonically, the temperature falls monotonically
    Ramp kl = new Ramp(Ramp.Shape.COSINE, 0, 6.6, 5000);
    for (long t = 1; t <= 5000; t += 7) {
      assertThat(kl.at(t)).isGreaterThanOrEqualTo(kl.at(t - 1));
      assertThat(cos.at(t)).isLessThanOrEqualTo(cos.at(t - 1));
    }
  }

  @Test
  void klToUniformMatchesHandComputation() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] l = {0.3f, -1.2f, 2.0f, 0.0f, 0.0f, 0.0f}; // (1, 3, 1, 2): position 0 logits (0.3, 2.0, 0), position 1 (-1.2, 0, 0)
      NDArray logits = m.create(l, new Shape(1, 3, 1, 2));
      double expected = (kl(new double[] {0.3, 2.0, 0}) + kl(new double[] {-1.2, 0, 0})) / 2;
      assertThat((double) Relaxation.klToUniform(logits).getFloat()).isCloseTo(expected, within(1e-6));
      assertThat(Relaxation.klToUniform(m.zeros(new Shape(2, 5, 3, 3))).getFloat()).isCloseTo(0f, within(1e-6f));
    }
  }

  private static double kl(double[] logits) {
    double z = 0;
    for (double v : logits) {
      z += Math.exp(v);
    }
    double out = 0;
    for (double v : logits) {
      double q = Math.exp(v) / z;
      out += q * (Math.log(q) + Math.log(logits.length));
    }
    return out;
  }

  @Test
  void gumbelSoftmaxIsADistributionThatSharpensAsTemperatureFalls() {
    try (NDManager m = NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(3);
      NDArray logits = m.randomNormal(new Shape(4, 10, 3, 3));
      NDArray soft = Relaxation.gumbelSoftmax(logits, 1.0, false);
      NDArray sums = soft.sum(new int[] {1});
      assertThat(sums.sub(1f).abs().max().getFloat()).isLessThan(1e-5f);
      float hot = Relaxation.gumbelSoftmax(logits, 0.01, false).max(new int[] {1}).mean().getFloat();
      float warm = Relaxation.gumbelSoftmax(logits, 5.0, false).max(new int[] {1}).mean().getFloat();
      assertThat(hot).isGreaterThan(0.95f);
      assertThat(warm).isLessThan(0.5f);
      NDArray st = Relaxation.gumbelSoftmax(logits, 1.0, true);
      assertThat(st.max(new int[] {1}).min().getFloat()).isEqualTo(1f);
      assertThat(st.sum(new int[] {1}).sub(1f).abs().max().getFloat()).isLessThan(1e-6f);
      // with a large gap the sample is the argmax
      NDArray peaked = logits.mul(100f);
      assertThat(Relaxation.gumbelSoftmax(peaked, 1.0, false).argMax(1).toLongArray()).containsExactly(peaked.argMax(1).toLongArray());
    }
  }

  @Test
  void logitLaplaceNllMatchesHandComputation() {
    try (NDManager m = NDManager.newBaseManager()) {
      double eps = 0.1;
      float[] x = {0.0f, 0.5f, 1.0f}; // (1, 3, 1, 1) pixels
      float[] stats = {0.2f, -3f, 1.5f, 0.1f, -0.5f, 0.0f}; // mu (3), ln b (3)
      NDArray xm = m.create(x, new Shape(1, 3, 1, 1)).mul((float) (1 - 2 * eps)).add((float) eps);
      NDArray st = m.create(stats, new Shape(1, 6, 1, 1));
      double expected = 0;
      for (int c = 0; c < 3; c++) {
        double v = x[c] * (1 - 2 * eps) + eps;
        double logit = Math.log(v / (1 - v));
        double lnB = stats[3 + c];
        expected += Math.abs(logit - stats[c]) / Math.exp(lnB) + lnB + Math.log(2) + Math.log(v * (1 - v));
      }
      expected /= 3;
      assertThat((double) PixelLoss.LOGIT_LAPLACE.apply(st, xm).getFloat()).isCloseTo(expected, within(1e-5));
      double l1 = 0;
      for (int c = 0; c < 3; c++) {
        l1 += Math.abs(1 / (1 + Math.exp(-stats[c])) - (x[c] * (1 - 2 * eps) + eps));
      }
      assertThat((double) PixelLoss.L1.apply(st, xm).getFloat()).isCloseTo(l1 / 3, within(1e-6));
      float[] rec = PixelLoss.reconstruct(st, 3, eps).toFloatArray();
      assertThat((double) rec[2]).isCloseTo((1 / (1 + Math.exp(-1.5)) - eps) / (1 - 2 * eps), within(1e-6));
      assertThat(rec[1]).isEqualTo(0f); // sigmoid(-3) = 0.047 < eps: clipped to 0
    }
  }
}
