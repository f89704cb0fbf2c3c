package org.bevt4j.core.train;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;

/**
 * Deterministic in-memory samples: pixel values are a fixed function of the index (low-frequency
 * patterns), flipped horizontally when the per-sample RNG says so (a seeded "augmentation"). The
 * tokenizer input is the same crop 2x average-pooled, in [0, 1].
 */
final class TinyDataset implements Dataset {
  private final StreamKind stream;
  private final int size;
  private final int frames;
  private final int hw;
  volatile long nanIndex = -1;

  TinyDataset(StreamKind stream, int size, int frames, int hw) {
    this.stream = stream;
    this.size = size;
    this.frames = stream == StreamKind.VIDEO ? frames : 1;
    this.hw = hw;
  }

  @Override
  public StreamKind stream() {
    return stream;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public List<String> classes() {
    return List.of();
  }

  @Override
  public Sample load(long index, RandomGenerator rng) {
    boolean flip = rng.nextBoolean();
    SplittableRandom r = new SplittableRandom(index * 7919 + (stream == StreamKind.VIDEO ? 1 : 2));
    float[][] coef = new float[3][4];
    for (float[] c : coef) {
      for (int k = 0; k < c.length; k++) {
        c[k] = (float) r.nextDouble(-1, 1);
      }
    }
    int t = frames;
    float[] raw = new float[3 * t * hw * hw]; // (3, T, H, W) in [0, 1]
    for (int ch = 0; ch < 3; ch++) {
      for (int f = 0; f < t; f++) {
        for (int y = 0; y < hw; y++) {
          for (int x = 0; x < hw; x++) {
            int xx = flip ? hw - 1 - x : x;
            double v = 0.5 + 0.25 * (coef[ch][0] * StrictMath.sin(0.7 * xx + coef[ch][1] * 3) + coef[ch][2] * StrictMath.cos(0.5 * y + 0.3 * f + coef[ch][3] * 3));
            raw[((ch * t + f) * hw + y) * hw + x] = (float) Math.min(1, Math.max(0, v));
          }
        }
      }
    }
    if (index == nanIndex) {
      raw[0] = Float.NaN;
    }
    float[] input = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      input[i] = (raw[i] - 0.45f) / 0.25f;
    }
    int h2 = hw / 2;
    float[] tok = new float[t * 3 * h2 * h2]; // (T, 3, h, w)
    for (int f = 0; f < t; f++) {
      for (int ch = 0; ch < 3; ch++) {
        for (int y = 0; y < h2; y++) {
          for (int x = 0; x < h2; x++) {
            float s = 0;
            for (int dy = 0; dy < 2; dy++) {
              for (int dx = 0; dx < 2; dx++) {
                s += raw[((ch * t + f) * hw + 2 * y + dy) * hw + 2 * x + dx];
              }
            }
            tok[((f * 3 + ch) * h2 + y) * h2 + x] = s / 4;
          }
        }
      }
    }
    long[] inShape = stream == StreamKind.VIDEO ? new long[] {3, t, hw, hw} : new long[] {3, hw, hw};
    return new Sample(new HostTensor(input, inShape), new HostTensor(tok, new long[] {t, 3, h2, h2}), -1, stream.configName() + "#" + index);
  }
}
