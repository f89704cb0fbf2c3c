package org.bevt4j.core.bench;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Times a step: {@code warmup} unmeasured runs, then {@code iterations} measured ones; reports the
 * median (the headline figure), mean, min and max of the whole step and of each named phase.
 *
 * <p>A step marks its phases on the {@link Laps} it receives: {@code laps.mark("forward")} records
 * the time since the step started or since the previous mark. On asynchronous devices (CUDA) each
 * mark must see finished work: pass a sync action ({@link #withSync}), e.g. one that reads a
 * scalar of the latest result ({@link #await(NDArray)}); on CPU libtorch ops are synchronous.
 */
public final class StepTimer {
  private final int warmup;
  private final int iterations;
  private final LongSupplier clock;
  private final Runnable sync;

  /** Summary of a series of durations, in milliseconds. */
  public record Stats(int count, double medianMs, double meanMs, double minMs, double maxMs) {
    /** Summarises {@code ms} (at least one value). */
    public static Stats of(double[] ms) {
      if (ms.length == 0) {
        throw new IllegalArgumentException("no samples");
      }
      double[] s = ms.clone();
      Arrays.sort(s);
      int n = s.length;
      double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
      double mean = Arrays.stream(s).sum() / n;
      return new Stats(n, median, mean, s[0], s[n - 1]);
    }
  }

  /** The measured result: whole-step statistics and per-phase statistics in first-seen order. */
  public record Result(int warmup, int iterations, Stats step, Map<String, Stats> phases) {
    /** Median step time in ms. */
    public double stepMs() {
      return step.medianMs();
    }

    /** Median time of {@code phase} in ms, or NaN when the step never marked it. */
    public double phaseMs(String phase) {
      Stats s = phases.get(phase);
      return s == null ? Double.NaN : s.medianMs();
    }
  }

  /** One step under measurement. */
  @FunctionalInterface
  public interface Step {
    /** Runs the step once, marking phases on {@code laps}. */
    void run(Laps laps) throws Exception;
  }

  /** Phase marks of one step. */
  public static final class Laps {
    private final LongSupplier clock;
    private final Runnable sync;
    private final Map<String, Long> durations = new LinkedHashMap<>();
    private long last;

    private Laps(LongSupplier clock, Runnable sync) {
      this.clock = clock;
      this.sync = sync;
      this.last = clock.getAsLong();
    }

    /** Ends phase {@code name} now (times of a phase marked twice in one step add up). */
    public void mark(String name) {
      sync.run();
      long now = clock.getAsLong();
      durations.merge(name, now - last, Long::sum);
      last = now;
    }
  }

  /**
   * @param warmup unmeasured runs first (>= 0)
   * @param iterations measured runs (>= 1)
   */
  public StepTimer(int warmup, int iterations) {
    this(warmup, iterations, System::nanoTime, () -> {});
  }

  private StepTimer(int warmup, int iterations, LongSupplier clock, Runnable sync) {
    if (warmup < 0) {
      throw new IllegalArgumentException("warm-up iterations = " + warmup + " must be >= 0");
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("measured iterations = " + iterations + " must be >= 1");
    }
    this.warmup = warmup;
    this.iterations = iterations;
    this.clock = clock;
    this.sync = sync;
  }

  /** The same timer reading nanoseconds from {@code nanoClock} (tests, other time sources). */
  public StepTimer withClock(LongSupplier nanoClock) {
    return new StepTimer(warmup, iterations, nanoClock, sync);
  }

  /** The same timer running {@code action} before every mark and at the end of every step. */
  public StepTimer withSync(Runnable action) {
    return new StepTimer(warmup, iterations, clock, action);
  }

  /** Waits for {@code x} to be computed (reads one element; a no-op cost on CPU). */
  public static void await(NDArray x) {
    if (x.size() > 0) {
      x.reshape(-1).get(0).toByteArray();
    }
  }

  /** Measures {@code step}. */
  public Result run(Step step) {
    for (int i = 0; i < warmup; i++) {
      once(step, "warm-up", i);
    }
    double[] total = new double[iterations];
    Map<String, double[]> phases = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < iterations; i++) {
      long t0 = clock.getAsLong();
      Laps laps = once(step, "measured", i);
      sync.run();
      total[i] = (clock.getAsLong() - t0) / 1e6;
      for (Map.Entry<String, Long> e : laps.durations.entrySet()) {
        double[] arr = phases.computeIfAbsent(e.getKey(), k -> new double[iterations]);
        int c = counts.merge(e.getKey(), 1, Integer::sum);
        arr[c - 1] = e.getValue() / 1e6;
      }
    }
    Map<String, Stats> phaseStats = new LinkedHashMap<>();
    phases.forEach((k, v) -> phaseStats.put(k, Stats.of(Arrays.copyOf(v, counts.get(k)))));
    return new Result(warmup, iterations, Stats.of(total), Collections.unmodifiableMap(phaseStats));
  }

  /** Measures a step made of the three usual phases, marked forward / backward / optimizer. */
  public Result run(Runnable forward, Runnable backward, Runnable optimizer) {
    return run(laps -> {
      forward.run();
      laps.mark("forward");
      backward.run();
      laps.mark("backward");
      optimizer.run();
      laps.mark("optimizer");
    });
  }

  private Laps once(Step step, String kind, int index) {
    Laps laps = new Laps(clock, sync);
    try {
      step.run(laps);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(kind + " iteration " + index + " failed: " + e, e);
    }
    return laps;
  }
}
