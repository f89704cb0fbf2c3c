package org.bevt4j.core.train;

import java.util.Locale;
import org.bevt4j.api.BevtException;

/**
 * The loss (or the gradient norm) became NaN or infinite. The run stops without writing a
 * checkpoint, so the last good checkpoint stays the newest one.
 */
public class TrainingDivergedException extends BevtException {
  private final long step;
  private final String what;
  private final double value;

  public TrainingDivergedException(long step, String what, double value) {
    super(String.format(
        Locale.ROOT,
        "training diverged at step %d: %s is %s; stopping without a checkpoint (the last good one is kept). "
            + "Lower bevt.train.optimizer.lr, raise the warm-up or check the data.",
        step, what, value));
    this.step = step;
    this.what = what;
    this.value = value;
  }

  /** The (1-based) optimizer step that diverged. */
  public long step() {
    return step;
  }

  /** What was not finite, e.g. {@code video loss}. */
  public String what() {
    return what;
  }

  public double value() {
    return value;
  }
}
