package org.bevt4j.core.train;

import java.util.List;
import java.util.Objects;
import org.bevt4j.api.Settings;
import org.bevt4j.core.optim.AdamWImplementation;

/**
 * {@code bevt.train.optimizer}: AdamW hyper-parameters and the weight-decay exemptions.
 *
 * @param lr peak learning rate
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param eps AdamW epsilon
 * @param weightDecay decoupled weight decay of decayed parameters
 * @param noDecay name substrings exempt from decay
 * @param noDecay1d whether 1-D parameters and biases are exempt too
 * @param layerDecay layer-wise LR decay factor (1 = off; fine-tuning only)
 * @param implementation how AdamW computes its update ({@code implementation}: auto, fused, elementwise)
 */
public record OptimizerSettings(
    double lr, double beta1, double beta2, double eps, double weightDecay, List<String> noDecay, boolean noDecay1d, double layerDecay,
    AdamWImplementation implementation) {
  public OptimizerSettings {
    noDecay = List.copyOf(noDecay);
    Objects.requireNonNull(implementation, "implementation");
  }

  /** Parses an optimizer block ({@code bevt.train.optimizer}, {@code bevt.finetune.optimizer}). */
  public static OptimizerSettings parse(Settings s) {
    s.oneOf("type", "adamw");
    double lr = s.numberIn("lr", 0, 10);
    double[] betas = s.numbers("betas");
    if (betas.length != 2) {
      throw s.invalid("betas", "expected 2 values, found " + betas.length, "e.g. [0.9, 0.999]");
    }
    for (int i = 0; i < 2; i++) {
      if (!(betas[i] >= 0 && betas[i] < 1)) {
        throw s.invalid("betas", "beta" + (i + 1) + " = " + betas[i] + " is out of range", "each must be in [0, 1)");
      }
    }
    double eps = s.number("eps");
    if (!(eps > 0 && eps < 1)) {
      throw s.invalid("eps", "value " + eps + " is out of range", "must be in (0, 1)");
    }
    double wd = s.numberIn("weight-decay", 0, 10);
    List<String> noDecay = s.strings("no-decay");
    boolean oneD = s.bool("no-decay-1d");
    double layerDecay = s.number("layer-decay");
    if (!(layerDecay > 0 && layerDecay <= 1)) {
      throw s.invalid("layer-decay", "value " + layerDecay + " is out of range", "must be in (0, 1]");
    }
    AdamWImplementation impl = s.hasPath("implementation")
        ? AdamWImplementation.fromConfigName(s.oneOf("implementation", "auto", "fused", "elementwise"))
        : AdamWImplementation.AUTO;
    return new OptimizerSettings(lr, betas[0], betas[1], eps, wd, noDecay, oneD, layerDecay, impl);
  }
}
