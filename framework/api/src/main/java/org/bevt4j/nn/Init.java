package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Parameter initializers matching the upstream PyTorch defaults. Random ones draw from the engine's
 * RNG, which the trainer seeds, so initialisation is deterministic on CPU.
 */
@FunctionalInterface
public interface Init {
  NDArray create(NDManager manager, Shape shape);

  static Init zeros() {
    return (m, s) -> m.zeros(s, DataType.FLOAT32);
  }

  static Init ones() {
    return (m, s) -> m.ones(s, DataType.FLOAT32);
  }

  static Init constant(float v) {
    return (m, s) -> m.full(s, v, DataType.FLOAT32);
  }

  /** Uniform in [-bound, bound]. */
  static Init uniform(double bound) {
    return (m, s) -> m.randomUniform((float) -bound, (float) bound, s, DataType.FLOAT32);
  }

  /** Normal(0, std) truncated to [-2std, 2std] as timm's {@code trunc_normal_(std=.02)}. */
  static Init truncNormal(double std) {
    return (m, s) -> {
      try (NDArray n = m.truncatedNormal(0f, (float) std, s, DataType.FLOAT32)) {
        return n.clip(-2 * std, 2 * std);
      }
    };
  }

  /** PyTorch's default for Linear/Conv weights (kaiming_uniform, a = sqrt(5)): U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
  static Init torchDefault(long fanIn) {
    return uniform(1.0 / Math.sqrt(Math.max(1, fanIn)));
  }
}
