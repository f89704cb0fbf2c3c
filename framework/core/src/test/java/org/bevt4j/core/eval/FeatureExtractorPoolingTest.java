package org.bevt4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.TokenGrid;
import org.junit.jupiter.api.Test;

/** Pooling of feature maps into probe vectors, against hand-computed values. */
class FeatureExtractorPoolingTest {
  private static float[] pool(FeatureExtractor.Pooling p, FeatureMap map) {
    return new FeatureExtractor(null, null, 1, 1, p).pool(map).toFloatArray();
  }

  @Test
  void spatialMapTemporalPoolingKeepsTimeStepsInOrder() {
    try (NDManager m = NDManager.newBaseManager()) {
      // (B=1, C=2, T=2, H=1, W=2): channel 0 = [[1, 3], [5, 7]], channel 1 = [[10, 20], [30, 50]] over (t, w)
      NDArray f = m.create(new float[] {1, 3, 5, 7, 10, 20, 30, 50}, new Shape(1, 2, 2, 1, 2));
      FeatureMap map = FeatureMap.spatial("x", f, new TokenGrid(2, 1, 2));
      // time-major: t0 (c0, c1), t1 (c0, c1)
      assertThat(pool(FeatureExtractor.Pooling.TEMPORAL, map)).containsExactly(new float[] {2, 15, 6, 40}, within(1e-6f));
      assertThat(pool(FeatureExtractor.Pooling.MEAN, map)).containsExactly(new float[] {4, 27.5f}, within(1e-6f));
      // the same clip played backwards: MEAN cannot tell, TEMPORAL can
      NDArray rev = m.create(new float[] {5, 7, 1, 3, 30, 50, 10, 20}, new Shape(1, 2, 2, 1, 2));
      FeatureMap revMap = FeatureMap.spatial("x", rev, new TokenGrid(2, 1, 2));
      assertThat(pool(FeatureExtractor.Pooling.MEAN, revMap)).containsExactly(pool(FeatureExtractor.Pooling.MEAN, map), within(1e-6f));
      assertThat(pool(FeatureExtractor.Pooling.TEMPORAL, revMap)).containsExactly(new float[] {6, 40, 2, 15}, within(1e-6f));
    }
  }

  @Test
  void tokenMapTemporalPoolingSkipsClassTokens() {
    try (NDManager m = NDManager.newBaseManager()) {
      // (B=1, 1 + t*h*w = 1 + 2*2, C=1): class token 100, t0 tokens 1, 2, t1 tokens 4, 8
      NDArray f = m.create(new float[] {100, 1, 2, 4, 8}, new Shape(1, 5, 1));
      FeatureMap map = FeatureMap.sequence("x", f, new TokenGrid(2, 1, 2), 1);
      assertThat(pool(FeatureExtractor.Pooling.TEMPORAL, map)).containsExactly(new float[] {1.5f, 6}, within(1e-6f));
      assertThat(pool(FeatureExtractor.Pooling.MEAN, map)).containsExactly(new float[] {3.75f}, within(1e-6f));
      assertThat(pool(FeatureExtractor.Pooling.CLS, map)).containsExactly(new float[] {100}, within(1e-6f));
    }
  }

  @Test
  void imagesHaveOneTimeStep() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray f = m.create(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, new Shape(1, 2, 2, 2));
      FeatureMap map = FeatureMap.spatial("x", f, new TokenGrid(1, 2, 2));
      assertThat(pool(FeatureExtractor.Pooling.TEMPORAL, map)).containsExactly(pool(FeatureExtractor.Pooling.MEAN, map), within(1e-6f));
    }
  }

  @Test
  void configNamesRoundTrip() {
    for (FeatureExtractor.Pooling p : FeatureExtractor.Pooling.values()) {
      assertThat(FeatureExtractor.Pooling.fromConfigName(p.configName())).isEqualTo(p);
    }
    assertThat(FeatureExtractor.Pooling.configNames()).containsExactly("mean", "cls", "temporal");
  }
}
