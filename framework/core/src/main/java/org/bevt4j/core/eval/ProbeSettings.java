package org.bevt4j.core.eval;

import org.bevt4j.api.Settings;

/**
 * Linear-probe training settings.
 *
 * @param epochs passes over the training features
 * @param batchSize mini-batch size (features are standardised first)
 * @param lr AdamW learning rate
 * @param weightDecay decoupled weight decay of the classifier weights
 * @param seed shuffling seed
 */
public record ProbeSettings(int epochs, int batchSize, double lr, double weightDecay, long seed) {
  public ProbeSettings {
    if (epochs < 1 || batchSize < 1 || !(lr > 0) || weightDecay < 0) {
      throw new IllegalArgumentException("invalid probe settings: epochs " + epochs + ", batch " + batchSize + ", lr " + lr + ", wd " + weightDecay);
    }
  }

  public static ProbeSettings defaults() {
    return new ProbeSettings(100, 256, 1e-2, 1e-4, 0);
  }

  /** Reads {@code epochs}, {@code batch-size}, {@code lr}, {@code weight-decay}, {@code seed}. */
  public static ProbeSettings from(Settings s) {
    return new ProbeSettings(
        s.intIn("epochs", 1, 1_000_000),
        s.intIn("batch-size", 1, 1 << 24),
        s.numberIn("lr", 1e-9, 10),
        s.numberIn("weight-decay", 0, 10),
        s.longValue("seed"));
  }
}
