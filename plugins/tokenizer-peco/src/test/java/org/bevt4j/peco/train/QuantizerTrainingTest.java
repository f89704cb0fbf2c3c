package org.bevt4j.peco.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.bevt4j.peco.VectorQuantizer;
import org.junit.jupiter.api.Test;

class QuantizerTrainingTest {
  @Test
  void emaUpdateMatchesHandComputation() {
    int k = 3;
    int d = 2;
    double decay = 0.9;
    double eps = 0.1;
    float[] cs = {1, 2, 0.5f};
    float[] ea = {1, 2, 3, 4, 5, 6};
    float[] counts = {2, 0, 1};
    float[] sums = {0.5f, -1, 0, 0, 7, 8};
    // by hand: N_i = g N_i + (1-g) c_i ; m_i = g m_i + (1-g) s_i ; n = sum N ; Ñ = (N + eps) / (n + K eps) * n ; e = m / Ñ
    double[] n2 = new double[k];
    double total = 0;
    for (int i = 0; i < k; i++) {
      n2[i] = decay * cs[i] + (1 - decay) * counts[i];
      total += n2[i];
    }
    double[] expected = new double[k * d];
    for (int i = 0; i < k; i++) {
      double smoothed = (n2[i] + eps) / (total + k * eps) * total;
      for (int j = 0; j < d; j++) {
        double m = decay * ea[i * d + j] + (1 - decay) * sums[i * d + j];
        expected[i * d + j] = m / smoothed;
      }
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray clusterSize = m.create(cs);
      NDArray embedAvg = m.create(ea, new Shape(k, d));
      NDArray cb = EmaCodebook.update(clusterSize, embedAvg, m.create(counts), m.create(sums, new Shape(k, d)), decay, eps);
      float[] got = cb.toFloatArray();
      for (int i = 0; i < k * d; i++) {
        assertThat((double) got[i]).as("codebook[%d]", i).isCloseTo(expected[i], within(1e-5));
      }
      assertThat((double) clusterSize.getFloat(1)).isCloseTo(n2[1], within(1e-6));
      assertThat((double) embedAvg.getFloat(2, 1)).isCloseTo(0.9 * 6 + 0.1 * 8, within(1e-5));
    }
  }

  @Test
  void straightThroughForwardsCodesAndPassesGradientsToTheEncoder() {
    try (NDManager m = NDManager.newBaseManager()) {
      VectorQuantizer vq = new VectorQuantizer(4, 2);
      vq.initialize(m);
      vq.codebook().copyFrom(m.create(new float[] {0, 0, 1, 0, 0, 1, 1, 1}, new Shape(4, 2)));
      QuantizerTraining qt = new QuantizerTraining(vq, new CodebookSettings(0.25, false, 0.99, 1e-5, 0, false));
      qt.initialize(m);
      NDArray z = m.create(new float[] {0.9f, 0.2f, 0.1f, 0.8f}, new Shape(1, 2, 1, 2)); // rows (0.9,0.1), (0.2,0.8)
      z.setRequiresGradient(true);
      NDArray w = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 2, 1, 2));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        QuantizerTraining.Quantized q = qt.quantize(z);
        assertThat(q.ids().toLongArray()).containsExactly(1, 2);
        assertThat(q.zqSt().toFloatArray()).containsExactly(new float[] {1, 0, 0, 1}, within(1e-6f));
        // commitment 0.25 * mean((z - e)^2) = 0.25 * (0.01 + 0.04 + 0.04 + 0.01) / 4
        assertThat(q.commitLoss().getFloat()).isCloseTo(0.25f * 0.1f / 4, within(1e-6f));
        assertThat(q.codebookLoss().getFloat()).isCloseTo(0.1f / 4, within(1e-6f));
        gc.backward(q.zqSt().mul(w).sum());
      }
      assertThat(z.getGradient().toFloatArray()).containsExactly(1, 2, 3, 4);
    }
  }

  @Test
  void deadCodesRestartFromEncoderOutputsOfTheBatch() {
    try (NDManager m = NDManager.newBaseManager()) {
      VectorQuantizer vq = new VectorQuantizer(4, 2);
      vq.initialize(m);
      vq.codebook().copyFrom(m.create(new float[] {0, 0, 5, 5, 6, 6, 7, 7}, new Shape(4, 2)));
      QuantizerTraining qt = new QuantizerTraining(vq, new CodebookSettings(0.25, true, 0.5, 1e-5, 2, false));
      qt.initialize(m);
      NDArray z = m.create(new float[] {0.5f, 0.5f, -0.5f, -0.5f}, new Shape(1, 2, 1, 2)); // rows (0.5,-0.5), (0.5,-0.5)
      qt.quantize(z);
      qt.afterStep(0);
      assertThat(qt.namedParameters().get("unused_steps").array().toFloatArray()).containsExactly(0, 1, 1, 1);
      assertThat(vq.codebook().array().get(1).toFloatArray()).containsExactly(new float[] {5, 5}, within(1e-3f));
      qt.quantize(z);
      qt.afterStep(1);
      // codes 1..3 unused for 2 steps: replaced by the batch row (0.5, -0.5); counters and EMA state reset
      float[] cb = vq.codebook().array().toFloatArray();
      for (int i = 1; i < 4; i++) {
        assertThat(cb[2 * i]).isEqualTo(0.5f);
        assertThat(cb[2 * i + 1]).isEqualTo(-0.5f);
      }
      assertThat(qt.namedParameters().get("unused_steps").array().toFloatArray()).containsExactly(0, 0, 0, 0);
      assertThat(qt.namedParameters().get("cluster_size").array().getFloat(3)).isEqualTo(1f);
      assertThat(qt.namedParameters().get("embed_avg").array().get(2).toFloatArray()).containsExactly(0.5f, -0.5f);
      assertThat(qt.takeCounts()).containsExactly(4, 0, 0, 0);
      assertThat(qt.takeCounts()).containsExactly(0, 0, 0, 0);
    }
  }

  @Test
  void dataInitialisationSetsEveryCodeToABatchOutputAfterTheFirstStep() {
    try (NDManager m = NDManager.newBaseManager()) {
      VectorQuantizer vq = new VectorQuantizer(5, 2);
      vq.initialize(m);
      QuantizerTraining qt = new QuantizerTraining(vq, new CodebookSettings(0.25, true, 0.99, 1e-5, 3, true));
      qt.initialize(m);
      NDArray z = m.create(new float[] {1, 2, 3, -1, -2, -3}, new Shape(1, 2, 1, 3)); // rows (1,-1), (2,-2), (3,-3)
      qt.quantize(z);
      qt.afterStep(0);
      float[] cb = vq.codebook().array().toFloatArray();
      for (int i = 0; i < 5; i++) {
        assertThat(cb[2 * i + 1]).isEqualTo(-cb[2 * i]);
        assertThat(cb[2 * i]).isIn(1f, 2f, 3f);
      }
      assertThat(qt.namedParameters().get("embed_avg").array().toFloatArray()).containsExactly(cb);
      assertThat(qt.namedParameters().get("cluster_size").array().toFloatArray()).containsExactly(1, 1, 1, 1, 1);
    }
  }

  @Test
  void emaCodebookIsNotTrainable() {
    try (NDManager m = NDManager.newBaseManager()) {
      VectorQuantizer vq = new VectorQuantizer(8, 3);
      vq.initialize(m);
      QuantizerTraining qt = new QuantizerTraining(vq, new CodebookSettings(0.25, true, 0.99, 1e-5, 0, false));
      qt.initialize(m);
      assertThat(vq.codebook().isTrainable()).isFalse();
      assertThat(qt.namedParameters()).containsOnlyKeys("cluster_size", "embed_avg");
      assertThat(qt.namedParameters().get("embed_avg").array().toFloatArray()).containsExactly(vq.codebook().array().toFloatArray());
    }
  }
}
