package org.bevt4j.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scalar operands saved by autograd survive a garbage collection between forward and backward
 * (with {@code NDArray.mul(Number)} this gives garbage gradients: see {@link Scalars}).
 */
class ScalarsTest {
  @Test
  void gradientsSurviveGarbageCollection() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      for (int trial = 0; trial < 8; trial++) {
        NDArray x = m.ones(new Shape(4));
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray y = Scalars.div(Scalars.mul(x, 3.0), 2.0);
          collectAndReuseFreedMemory();
          gc.backward(Scalars.sub(Scalars.add(y, 1.0), 1.0).sum());
        }
        assertThat(x.getGradient().toFloatArray()).containsOnly(1.5f);
      }
    }
  }

  /** Runs the GC and refills small freed native blocks with other values. */
  private static void collectAndReuseFreedMemory() throws InterruptedException {
    System.gc();
    Thread.sleep(20);
    List<ByteBuffer> junk = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(4);
      b.putFloat(0, 777f);
      junk.add(b);
    }
    junk.clear();
  }
}
