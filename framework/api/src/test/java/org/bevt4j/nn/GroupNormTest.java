package org.bevt4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class GroupNormTest {
  // x (1, 4, 1, 2): channels 0-1 hold 1,2 | 3,4 and channels 2-3 hold 10,10 | 10,14.
  private static final float[] X = {1, 2, 3, 4, 10, 10, 10, 14};

  @Test
  void normalisesEachGroupOverChannelsAndPositionsWithBiasedVariance() {
    try (NDManager m = NDManager.newBaseManager()) {
      GroupNorm gn = new GroupNorm(2, 4, 1.0);
      gn.initialize(m);
      NDArray x = m.create(X, new Shape(1, 4, 1, 2));
      // group 0: mean 2.5, biased var 1.25, +eps 1 -> std 1.5; group 1: mean 11, var 3, +1 -> std 2.
      float[] y = gn.forward(x).toFloatArray();
      float[] expected = {-1f, -1f / 3, 1f / 3, 1f, -0.5f, -0.5f, -0.5f, 1.5f};
      for (int i = 0; i < y.length; i++) {
        assertThat(y[i]).as("element %d", i).isCloseTo(expected[i], within(1e-6f));
      }
      assertThat(gn.forward(x).getShape()).isEqualTo(new Shape(1, 4, 1, 2));
    }
  }

  @Test
  void gradientsMatchTheCompositeFormula() {
    try (NDManager m = NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(5);
      GroupNorm gn = new GroupNorm(3, 6, 1e-5);
      gn.initialize(m);
      gn.weight().copyFrom(m.randomNormal(new Shape(6)));
      gn.bias().copyFrom(m.randomNormal(new Shape(6)));
      NDArray x = m.randomNormal(new Shape(2, 6, 3, 4)).mul(3f).add(1f);
      NDArray w = m.randomNormal(new Shape(2, 6, 3, 4));
      NDArray[] grads = new NDArray[2];
      for (int k = 0; k < 2; k++) {
        NDArray xi = x.duplicate();
        xi.setRequiresGradient(true);
        try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
          NDArray y;
          if (k == 0) {
            y = gn.forward(xi);
          } else { // mean / biased variance per (sample, group), then the affine transform
            NDArray g = xi.reshape(2, 3, -1);
            NDArray c = g.sub(g.mean(new int[] {2}, true));
            NDArray v = c.square().mean(new int[] {2}, true);
            y = c.div(Scalars.add(v, 1e-5).sqrt()).reshape(2, 6, 3, 4)
                .mul(gn.weight().array().reshape(1, 6, 1, 1)).add(gn.bias().array().reshape(1, 6, 1, 1));
          }
          gc.backward(y.mul(w).sum());
        }
        grads[k] = xi.getGradient().duplicate();
      }
      float[] a = grads[0].toFloatArray();
      float[] b = grads[1].toFloatArray();
      for (int i = 0; i < a.length; i++) {
        assertThat(a[i]).as("dL/dx[%d]", i).isCloseTo(b[i], within(1e-4f));
      }
    }
  }

  @Test
  void appliesPerChannelAffineAndSmallEps() {
    try (NDManager m = NDManager.newBaseManager()) {
      GroupNorm gn = new GroupNorm(2, 4, 1.0);
      gn.initialize(m);
      gn.weight().copyFrom(m.create(new float[] {1, 2, 3, 4}));
      gn.bias().copyFrom(m.create(new float[] {0, 1, 0, -1}));
      float[] y = gn.forward(m.create(X, new Shape(1, 4, 1, 2))).toFloatArray();
      float[] expected = {-1f, -1f / 3, 2f / 3 + 1, 3f, -1.5f, -1.5f, -3f, 5f};
      for (int i = 0; i < y.length; i++) {
        assertThat(y[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5f));
      }

      GroupNorm tight = new GroupNorm(2, 4, 1e-6);
      tight.initialize(m);
      float[] z = tight.forward(m.create(X, new Shape(1, 4, 1, 2))).toFloatArray();
      double s0 = Math.sqrt(1.25 + 1e-6);
      double s1 = Math.sqrt(3 + 1e-6);
      double[] exp = {-1.5 / s0, -0.5 / s0, 0.5 / s0, 1.5 / s0, -1 / s1, -1 / s1, -1 / s1, 3 / s1};
      for (int i = 0; i < z.length; i++) {
        assertThat((double) z[i]).as("element %d", i).isCloseTo(exp[i], within(1e-6));
      }
      assertThat(tight.eps()).isEqualTo(1e-6f);
    }
  }

  @Test
  void samplesAreIndependentAndOneGroupIsLayerNormOverAll() {
    try (NDManager m = NDManager.newBaseManager()) {
      GroupNorm one = new GroupNorm(1, 2, 1e-5);
      one.initialize(m);
      // sample 0: 0,2 | 4,6 -> mean 3, var 5; sample 1 constant -> zeros.
      NDArray x = m.create(new float[] {0, 2, 4, 6, 7, 7, 7, 7}, new Shape(2, 2, 2));
      float[] y = one.forward(x).toFloatArray();
      double s = Math.sqrt(5 + 1e-5);
      double[] exp = {-3 / s, -1 / s, 1 / s, 3 / s, 0, 0, 0, 0};
      for (int i = 0; i < y.length; i++) {
        assertThat((double) y[i]).as("element %d", i).isCloseTo(exp[i], within(1e-6));
      }
      assertThat(one.namedParameters().keySet()).containsExactly("weight", "bias");
    }
  }

  @Test
  void rejectsBadConfigurationAndInput() {
    assertThatThrownBy(() -> new GroupNorm(32, 48, 1e-6)).hasMessageContaining("multiple of num_groups 32");
    assertThatThrownBy(() -> new GroupNorm(2, 4, 0)).hasMessageContaining("eps");
    try (NDManager m = NDManager.newBaseManager()) {
      GroupNorm gn = new GroupNorm(2, 4);
      gn.initialize(m);
      assertThatThrownBy(() -> gn.forward(m.zeros(new Shape(1, 3, 2, 2))))
          .hasMessageContaining("expected input (N, 4, ...)")
          .hasMessageContaining("(1, 3, 2, 2)");
    }
  }
}
