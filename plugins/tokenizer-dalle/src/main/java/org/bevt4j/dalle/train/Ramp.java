package org.bevt4j.dalle.train;

import java.util.List;
import java.util.Locale;

/**
 * A value moving from {@code start} to {@code end} over the first {@code steps} optimizer steps and
 * staying at {@code end} afterwards ({@code t} = steps already taken, {@code p = min(1, t/steps)}):
 *
 * <ul>
 *   <li>{@code cosine}: {@code end + (start − end)(1 + cos πp)/2} (DALL-E anneals both the
 *       temperature and the KL weight with cosine schedules);
 *   <li>{@code linear}: {@code start + (end − start) p};
 *   <li>{@code exponential}: {@code start (end/start)^p} (start and end > 0), the usual
 *       Gumbel-softmax temperature decay.
 * </ul>
 *
 * @param shape the curve
 * @param start value at t = 0
 * @param end value from t = steps on
 * @param steps length of the ramp (0 = {@code end} from the start)
 */
public record Ramp(Shape shape, double start, double end, long steps) {
  /** The curve of a ramp. */
  public enum Shape {
    COSINE,
    LINEAR,
    EXPONENTIAL;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> keys() {
      return List.of("cosine", "linear", "exponential");
    }

    public static Shape fromKey(String key) {
      return valueOf(key.toUpperCase(Locale.ROOT));
    }
  }

  public Ramp {
    if (shape == null || !Double.isFinite(start) || !Double.isFinite(end) || steps < 0) {
      throw new IllegalArgumentException("ramp needs a shape, finite start/end and steps >= 0");
    }
    if (shape == Shape.EXPONENTIAL && !(start > 0 && end > 0)) {
      throw new IllegalArgumentException("an exponential ramp needs start and end > 0, found " + start + " and " + end);
    }
  }

  /** The value after {@code t} optimizer steps. */
  public double at(long t) {
    if (steps == 0 || t >= steps) {
      return end;
    }
    double p = Math.max(0, t) / (double) steps;
    return switch (shape) {
      case COSINE -> end + (start - end) * (1 + Math.cos(Math.PI * p)) / 2;
      case LINEAR -> start + (end - start) * p;
      case EXPONENTIAL -> start * Math.pow(end / start, p);
    };
  }
}
