package org.bevt4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.TokenGrid;
import org.junit.jupiter.api.Test;

class FinetunePartsTest {
  @Test
  void labelSmoothedCrossEntropyMatchesHandComputation() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.create(new float[] {2f, 0f, -1f}, new Shape(1, 3));
      NDArray labels = m.create(new long[] {0});
      double z = Math.exp(2) + Math.exp(0) + Math.exp(-1);
      double[] logp = {2 - Math.log(z), -Math.log(z), -1 - Math.log(z)};
      double eps = 0.1;
      double expected = -((1 - eps + eps / 3) * logp[0] + eps / 3 * logp[1] + eps / 3 * logp[2]);
      assertThat(Losses.crossEntropy(logits, labels, eps).getFloat()).isCloseTo((float) expected, within(1e-6f));
      assertThat(Losses.crossEntropy(logits, labels, 0).getFloat()).isCloseTo((float) -logp[0], within(1e-6f));
    }
  }

  @Test
  void multiViewAveragesProbabilities() {
    MultiViewScores s = new MultiViewScores(2);
    s.addLogits(new float[] {0f, 0f});
    s.addLogits(new float[] {(float) Math.log(3), 0f});
    float[] avg = s.average();
    assertThat(avg[0]).isCloseTo((0.5f + 0.75f) / 2, within(1e-6f));
    assertThat(avg[1]).isCloseTo((0.5f + 0.25f) / 2, within(1e-6f));
    assertThat(s.views()).isEqualTo(2);
  }

  @Test
  void headPoolsSpatialAndTokenMaps() {
    try (NDManager m = NDManager.newBaseManager()) {
      ClassificationHead head = new ClassificationHead(4, 3, 0.5);
      head.initialize(m);
      assertThat(head.namedParameters().keySet()).containsExactly("fc_cls.weight", "fc_cls.bias");
      NDArray spatial = m.arange(2f * 4 * 2 * 3 * 3).reshape(2, 4, 2, 3, 3);
      NDArray pooled = ClassificationHead.pool(FeatureMap.spatial("s", spatial, new TokenGrid(2, 3, 3)));
      assertThat(pooled.getShape()).isEqualTo(new Shape(2, 4));
      assertThat(pooled.getFloat(0, 0)).isCloseTo(8.5f, within(1e-5f));
      NDArray tokens = m.ones(new Shape(2, 5, 4)).concat(m.zeros(new Shape(2, 1, 4)), 1);
      // one prefix token is skipped: mean over 5 tokens of which 4 ones and 1 zero -> 0.8
      NDArray pt = ClassificationHead.pool(FeatureMap.sequence("t", tokens, TokenGrid.image(1, 5), 1));
      assertThat(pt.getFloat(0, 0)).isCloseTo(0.8f, within(1e-6f));
      assertThat(head.forward(FeatureMap.spatial("s", spatial, new TokenGrid(2, 3, 3)), false).getShape()).isEqualTo(new Shape(2, 3));
    }
  }
}
