package org.bevt4j.core.data.loader;

import java.util.SplittableRandom;

/** Deterministic seed derivation (SplitMix64 finalizer) for per-sample random streams. */
public final class Seeds {
  private Seeds() {}

  /** Mixes two 64-bit values into a well-distributed seed. */
  public static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The augmentation RNG of a sample: a function of (seed, epoch, index, attempt) only. */
  public static SplittableRandom sample(long seed, long epoch, long index, int attempt) {
    return new SplittableRandom(mix(mix(mix(seed, epoch), index), attempt));
  }
}
