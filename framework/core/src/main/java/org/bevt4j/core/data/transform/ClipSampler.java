package org.bevt4j.core.data.transform;

import java.util.random.RandomGenerator;

/**
 * Frame indices (0-based) for a clip, following mmaction's {@code SampleFrames} (with
 * {@code num_clips} = 1 for training, {@code out_of_bound_opt = 'loop'}) and Video Swin's
 * uniform-segment sampling ({@code frame_uniform}).
 */
public final class ClipSampler {
  private final ClipSettings settings;

  public ClipSampler(ClipSettings settings) {
    this.settings = settings;
  }

  public ClipSettings settings() {
    return settings;
  }

  /** Training indices: one clip, random offset, wrapping around when the video is short. */
  public int[] train(int numFrames, RandomGenerator rng) {
    check(numFrames);
    int len = settings.clipLen();
    if (settings.sampling() == ClipSettings.Sampling.UNIFORM_SEGMENTS) {
      return segments(numFrames, rng, 0, 1);
    }
    int span = len * settings.frameInterval();
    int avg = numFrames - span + 1;
    int offset = avg > 0 ? rng.nextInt(avg) : 0;
    return strided(offset, numFrames);
  }

  /** Test indices: {@code clips} clips spread uniformly over the video (mmaction test mode). */
  public int[][] test(int numFrames, int clips) {
    check(numFrames);
    int[][] out = new int[clips][];
    if (settings.sampling() == ClipSettings.Sampling.UNIFORM_SEGMENTS) {
      for (int k = 0; k < clips; k++) {
        out[k] = segments(numFrames, null, k, clips);
      }
      return out;
    }
    int span = settings.clipLen() * settings.frameInterval();
    double avg = (numFrames - span + 1) / (double) clips;
    for (int k = 0; k < clips; k++) {
      int offset = numFrames > span - 1 ? (int) (k * avg + avg / 2.0) : 0;
      out[k] = strided(offset, numFrames);
    }
    return out;
  }

  private int[] strided(int offset, int numFrames) {
    int[] idx = new int[settings.clipLen()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = Math.floorMod(offset + i * settings.frameInterval(), numFrames);
    }
    return idx;
  }

  /**
   * One frame per segment of {@code (n - 1) / clipLen} frames: random inside the segment when
   * training (rng != null), else at position {@code (k + 0.5) / clips} of the segment (the middle
   * for a single clip).
   */
  private int[] segments(int numFrames, RandomGenerator rng, int k, int clips) {
    int len = settings.clipLen();
    double seg = (numFrames - 1) / (double) len;
    int[] idx = new int[len];
    for (int i = 0; i < len; i++) {
      int start = (int) Math.rint(seg * i);
      int end = (int) Math.rint(seg * (i + 1));
      if (rng != null) {
        idx[i] = start + rng.nextInt(end - start + 1);
      } else {
        idx[i] = start + (int) Math.floor((end - start) * (k + 0.5) / clips);
      }
    }
    return idx;
  }

  private static void check(int numFrames) {
    if (numFrames < 1) {
      throw new IllegalArgumentException("a clip needs at least one frame, the video has " + numFrames);
    }
  }
}
