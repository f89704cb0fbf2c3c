package org.bevt4j.core.data.loader;

import java.util.SplittableRandom;

/**
 * The sample order of an epoch and each rank's slice of it. The permutation depends only on
 * (seed, epoch); rank {@code r} of {@code world} takes positions {@code r, r + world, ...} of the
 * permutation padded by wrapping to a multiple of {@code world} (PyTorch's
 * {@code DistributedSampler}), so all ranks see the same number of samples and together cover the
 * epoch.
 */
public final class EpochOrder {
  private final long size;
  private final long seed;
  private final boolean shuffle;
  private final int rank;
  private final int world;

  public EpochOrder(long size, long seed, boolean shuffle, int rank, int world) {
    if (size < 1) {
      throw new IllegalArgumentException("dataset is empty");
    }
    if (world < 1 || rank < 0 || rank >= world) {
      throw new IllegalArgumentException("rank " + rank + " is not in [0, world " + world + ")");
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("datasets above 2^31 samples are not supported");
    }
    this.size = size;
    this.seed = seed;
    this.shuffle = shuffle;
    this.rank = rank;
    this.world = world;
  }

  /** Samples per rank per epoch. */
  public long perRank() {
    return (size + world - 1) / world;
  }

  /** This rank's dataset indices for an epoch, in order. */
  public long[] slice(long epoch) {
    int n = (int) size;
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    if (shuffle) {
      SplittableRandom r = new SplittableRandom(Seeds.mix(Seeds.mix(seed, 0x0DE7L), epoch));
      for (int i = n - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
    }
    long[] out = new long[(int) perRank()];
    for (int k = 0; k < out.length; k++) {
      out[k] = perm[(int) ((rank + (long) k * world) % n)];
    }
    return out;
  }
}
