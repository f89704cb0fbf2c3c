package org.bevt4j.core.optim;

import java.util.Objects;
import org.bevt4j.nn.Param;

/**
 * One parameter as the optimizer sees it: its model-wide name, the parameter, its weight decay and
 * its learning-rate scale (1 unless layer-wise LR decay applies).
 *
 * @param name unique name (state-dict style, e.g. {@code backbone.layers.0.blocks.0.attn.qkv.weight})
 * @param param the parameter (must be trainable)
 * @param weightDecay decoupled weight decay coefficient (0 = none)
 * @param lrScale multiplier on the scheduled learning rate
 */
public record OptimParam(String name, Param param, double weightDecay, double lrScale) {
  public OptimParam {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(param, "param");
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weight decay of " + name + " must be finite and >= 0, got " + weightDecay);
    }
    if (!(lrScale >= 0) || Double.isInfinite(lrScale)) {
      throw new IllegalArgumentException("lr scale of " + name + " must be finite and >= 0, got " + lrScale);
    }
  }
}
