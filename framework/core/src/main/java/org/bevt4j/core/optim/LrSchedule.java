package org.bevt4j.core.optim;

import java.util.Locale;

/**
 * The learning rate per optimizer step, as mmcv's per-iteration {@code CosineAnnealing} with
 * linear warm-up (BEVT: {@code by_epoch=False}, {@code warmup='linear'}, {@code warmup_ratio=0.1}):
 *
 * <ul>
 *   <li>the regular rate anneals from {@code baseLr} to {@code minLr} over {@code totalSteps}:
 *       cosine {@code min + (base − min)(1 + cos(π t/T))/2}, linear {@code base − (base − min) t/T},
 *       or constant {@code base};
 *   <li>during the first {@code warmupSteps} steps it is multiplied by {@code 1 − (1 − f)(1 − t/W)},
 *       {@code f} being the warm-up start factor, so warm-up starts at {@code f ×} the regular rate
 *       and joins it at step W.
 * </ul>
 *
 * {@code t} is the number of optimizer steps already taken (0 for the first update). Uses
 * {@link StrictMath} so the rate is bit-identical in every process (exact resume).
 */
public final class LrSchedule {
  /** Shape of the regular (post-warm-up) curve. */
  public enum Type {
    COSINE,
    LINEAR,
    CONSTANT;

    /** Parses the config name ({@code cosine}, {@code linear}, {@code constant}). */
    public static Type fromConfigName(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Type type;
  private final double baseLr;
  private final double minLr;
  private final long totalSteps;
  private final long warmupSteps;
  private final double warmupStartFactor;

  public LrSchedule(Type type, double baseLr, double minLr, long totalSteps, long warmupSteps, double warmupStartFactor) {
    if (totalSteps < 1) {
      throw new IllegalArgumentException("total steps must be >= 1, got " + totalSteps);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
    }
    if (!(baseLr >= 0) || !(minLr >= 0)) {
      throw new IllegalArgumentException("learning rates must be >= 0, got " + baseLr + " / " + minLr);
    }
    this.type = type;
    this.baseLr = baseLr;
    this.minLr = minLr;
    this.totalSteps = totalSteps;
    this.warmupSteps = warmupSteps;
    this.warmupStartFactor = warmupStartFactor;
  }

  /** The rate for the update following {@code t} completed steps. */
  public double lr(long t) {
    double progress = Math.min(1.0, Math.max(0, t) / (double) totalSteps);
    double regular =
        switch (type) {
          case COSINE -> minLr + (baseLr - minLr) * (1 + StrictMath.cos(Math.PI * progress)) / 2;
          case LINEAR -> baseLr - (baseLr - minLr) * progress;
          case CONSTANT -> baseLr;
        };
    if (t < warmupSteps) {
      double k = (1 - t / (double) warmupSteps) * (1 - warmupStartFactor);
      return regular * (1 - k);
    }
    return regular;
  }

  public long totalSteps() {
    return totalSteps;
  }

  public long warmupSteps() {
    return warmupSteps;
  }

  @Override
  public String toString() {
    return type.configName() + " lr " + fmt(baseLr) + " -> " + fmt(minLr) + " over " + totalSteps + " steps, warm-up " + warmupSteps
        + " steps from " + fmt(warmupStartFactor) + "x";
  }

  private static String fmt(double d) {
    if (d == 0) {
      return "0";
    }
    if (Math.abs(d) < 0.01) {
      return String.format(Locale.ROOT, "%.2e", d).replace("e-0", "e-");
    }
    String g = String.format(Locale.ROOT, "%.3g", d);
    return g.contains(".") && !g.contains("e") ? g.replaceAll("\\.?0+$", "") : g;
  }
}
