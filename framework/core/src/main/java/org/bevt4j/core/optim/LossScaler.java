package org.bevt4j.core.optim;

import com.google.gson.JsonObject;

/**
 * Dynamic loss scaling for fp16 training (the logic of {@code torch.cuda.amp.GradScaler}): the loss
 * is multiplied by {@link #scale()} before backward; the gradients are then unscaled and checked;
 * a step with non-finite gradients is skipped and the scale multiplied by {@code backoff}; after
 * {@code growthInterval} consecutive good steps the scale is multiplied by {@code growth}. Scales
 * are kept to powers of two by the default factors, so scaling and unscaling are exact.
 */
public final class LossScaler {
  private final double growth;
  private final double backoff;
  private final int growthInterval;
  private final double minScale;
  private double scale;
  private int goodSteps;
  private long skipped;

  /**
   * @param initialScale starting scale (e.g. 65536)
   * @param growth factor after {@code growthInterval} good steps (> 1, e.g. 2)
   * @param backoff factor after an overflow (in (0, 1), e.g. 0.5)
   * @param growthInterval good steps between growths (>= 1)
   * @param minScale lower bound of the scale (> 0)
   */
  public LossScaler(double initialScale, double growth, double backoff, int growthInterval, double minScale) {
    if (!(initialScale > 0) || Double.isInfinite(initialScale)) {
      throw new IllegalArgumentException("initial loss scale must be finite and > 0, got " + initialScale);
    }
    if (!(growth > 1) || !(backoff > 0 && backoff < 1) || growthInterval < 1 || !(minScale > 0)) {
      throw new IllegalArgumentException(
          "loss scaler needs growth > 1, backoff in (0,1), interval >= 1, min scale > 0; got "
              + growth + ", " + backoff + ", " + growthInterval + ", " + minScale);
    }
    this.scale = initialScale;
    this.growth = growth;
    this.backoff = backoff;
    this.growthInterval = growthInterval;
    this.minScale = minScale;
  }

  /** The standard dynamic scaler: factor 2 up and down, floor 1. */
  public static LossScaler standard(double initialScale, int growthInterval) {
    return new LossScaler(initialScale, 2.0, 0.5, growthInterval, 1.0);
  }

  /** The current scale. */
  public double scale() {
    return scale;
  }

  /** Steps skipped so far because of overflow. */
  public long skipped() {
    return skipped;
  }

  /** Consecutive good steps since the last change of scale. */
  public int goodSteps() {
    return goodSteps;
  }

  /**
   * Records the outcome of one step and adapts the scale. Returns whether the optimizer step
   * should be taken ({@code finite}).
   */
  public boolean update(boolean finite) {
    if (!finite) {
      scale = Math.max(minScale, scale * backoff);
      goodSteps = 0;
      skipped++;
      return false;
    }
    goodSteps++;
    if (goodSteps >= growthInterval) {
      double next = scale * growth;
      if (Double.isFinite(next) && next <= Float.MAX_VALUE) {
        scale = next;
      }
      goodSteps = 0;
    }
    return true;
  }

  /** The mutable state, for checkpoints. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("scale", scale);
    o.addProperty("good_steps", goodSteps);
    o.addProperty("skipped", skipped);
    return o;
  }

  /** Restores {@link #toJson()}. */
  public void restore(JsonObject o) {
    scale = o.get("scale").getAsDouble();
    goodSteps = o.get("good_steps").getAsInt();
    skipped = o.get("skipped").getAsLong();
  }
}
