package org.bevt4j.timesformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Param;
import org.bevt4j.testkit.TensorAssert;

/** Test helpers: seeded tensors and closeness checks. */
final class Tensors {
  private Tensors() {}

  static NDArray randn(NDManager m, long seed, long... shape) {
    Random r = new Random(seed);
    float[] v = new float[Math.toIntExact(new Shape(shape).size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return m.create(v, new Shape(shape));
  }

  /** Max |a - b| / max |b|. */
  static double relToMax(NDArray a, NDArray b) {
    return TensorAssert.compare(a.toFloatArray(), b.toFloatArray(), 0, 0).maxRelToMax();
  }

  static void randomise(Param p, NDManager m, double std) {
    p.copyFrom(Init.truncNormal(std).create(m, p.shape()));
  }
}
