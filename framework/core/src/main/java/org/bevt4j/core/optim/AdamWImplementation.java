package org.bevt4j.core.optim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How {@link AdamW} computes its update ({@code bevt.train.optimizer.implementation}). Both
 * implementations follow the same {@code torch.optim.AdamW} semantics and keep the same state; they
 * differ in rounding only (a few float32 ulps per step).
 */
public enum AdamWImplementation {
  /** {@link #FUSED} when libtorch's fused kernel runs on the parameters' device, else {@link #ELEMENTWISE}. */
  AUTO,
  /**
   * libtorch's multi-tensor kernel {@code torch._fused_adamw_} (one pass over param, grad and the
   * two moments, one native call per group of parameters sharing learning rate and decay).
   */
  FUSED,
  /** One DJL op per term and parameter (about nine native calls and passes over memory each). */
  ELEMENTWISE;

  /** The configuration spelling ({@code auto}, {@code fused}, {@code elementwise}). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a configuration spelling; the error lists the accepted values. */
  public static AdamWImplementation fromConfigName(String value) {
    for (AdamWImplementation i : values()) {
      if (i.configName().equals(value)) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "unknown AdamW implementation '" + value + "'; expected one of "
            + Arrays.stream(values()).map(AdamWImplementation::configName).collect(Collectors.joining(", ")));
  }
}
