package org.bevt4j.core.train;

import java.util.SplittableRandom;

/**
 * Deterministic seed derivation: every random stream of a run (masks, data order, augmentation,
 * dropout) is a pure function of the run seed and a few coordinates (stage, step, stream, sample),
 * so a resumed run draws exactly what an uninterrupted one would, with no RNG state to save.
 */
public final class Rngs {
  /** Stream tags, to keep derived seeds of different purposes apart. */
  public static final long MASK = 0x4d41534bL;
  public static final long ENGINE = 0x454e47L;
  public static final long DATA = 0x44415441L;
  public static final long INIT = 0x494e4954L;

  private Rngs() {}

  /** Mixes the parts into one 64-bit seed (SplitMix64 finalizer chained over the parts). */
  public static long derive(long... parts) {
    long h = 0x9E3779B97F4A7C15L;
    for (long p : parts) {
      h = mix(h ^ mix(p + 0x9E3779B97F4A7C15L));
    }
    return h;
  }

  /** A generator seeded from {@link #derive}. */
  public static SplittableRandom random(long... parts) {
    return new SplittableRandom(derive(parts));
  }

  /** A non-negative int seed for engines that take one (DJL {@code Engine.setRandomSeed(int)}). */
  public static int intSeed(long... parts) {
    return (int) (derive(parts) >>> 33);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
