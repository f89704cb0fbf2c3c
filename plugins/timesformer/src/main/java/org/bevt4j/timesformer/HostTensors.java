package org.bevt4j.timesformer;

import org.bevt4j.io.TensorData;
import org.bevt4j.nn.NearestResize;

/** Small float32 host-tensor transforms used by weight inflation (no engine needed). */
final class HostTensors {
  private HostTensors() {}

  static TensorData zeros(long... shape) {
    return TensorData.ofFloats(new float[Math.toIntExact(TensorData.numel(shape))], shape);
  }

  /** {@code x (1, R0, C)} resized along rows with legacy nearest to {@code rows} rows. */
  static TensorData resizeRows(TensorData x, int rows) {
    long[] s = x.shape();
    int r0 = (int) s[1];
    int c = (int) s[2];
    if (r0 == rows) {
      return x;
    }
    float[] in = x.toFloats();
    float[] out = new float[rows * c];
    long[] idx = NearestResize.indices(r0, rows);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(in, (int) idx[r] * c, out, r * c, c);
    }
    return TensorData.ofFloats(out, 1, rows, c);
  }

  /**
   * {@code pos_embed (1, 1 + P0*P0, C)} to {@code (1, 1 + P*P, C)}: the cls row kept, the patch rows
   * nearest-resized as a P0 x P0 grid.
   */
  static TensorData resizePosGrid(TensorData x, int p) {
    long[] s = x.shape();
    int n0 = (int) s[1] - 1;
    int c = (int) s[2];
    int p0 = (int) Math.sqrt((double) n0);
    if (p0 * p0 != n0) {
      throw new IllegalArgumentException("pos_embed has " + n0 + " patch rows, not a square grid");
    }
    if (p0 == p) {
      return x;
    }
    float[] in = x.toFloats();
    float[] out = new float[(1 + p * p) * c];
    System.arraycopy(in, 0, out, 0, c);
    long[] idx = NearestResize.indices(p0, p);
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        int src = 1 + (int) idx[i] * p0 + (int) idx[j];
        System.arraycopy(in, src * c, out, (1 + i * p + j) * c, c);
      }
    }
    return TensorData.ofFloats(out, 1, 1 + p * p, c);
  }

  /**
   * {@code pos_embed} resized as upstream {@code load_pretrained} does: 1-D legacy nearest over the
   * flattened patch sequence, cls row kept.
   */
  static TensorData resizePosSequence(TensorData x, int n) {
    long[] s = x.shape();
    int n0 = (int) s[1] - 1;
    int c = (int) s[2];
    if (n0 == n) {
      return x;
    }
    float[] in = x.toFloats();
    float[] out = new float[(1 + n) * c];
    System.arraycopy(in, 0, out, 0, c);
    long[] idx = NearestResize.indices(n0, n);
    for (int i = 0; i < n; i++) {
      System.arraycopy(in, (1 + (int) idx[i]) * c, out, (1 + i) * c, c);
    }
    return TensorData.ofFloats(out, 1, 1 + n, c);
  }

  /** A Conv2d kernel {@code (O, I, p, p)} inflated to {@code (O, I, k, p, p)}: repeated k times, divided by k. */
  static TensorData inflateKernel(TensorData w, int k) {
    long[] s = w.shape();
    float[] in = w.toFloats();
    int o = (int) s[0];
    int per = (int) (s[1] * s[2] * s[3]);
    int i2 = (int) s[1];
    int plane = (int) (s[2] * s[3]);
    float[] out = new float[in.length * k];
    for (int oc = 0; oc < o; oc++) {
      for (int ic = 0; ic < i2; ic++) {
        for (int t = 0; t < k; t++) {
          for (int q = 0; q < plane; q++) {
            out[((oc * i2 + ic) * k + t) * plane + q] = in[oc * per + ic * plane + q] / k;
          }
        }
      }
    }
    return TensorData.ofFloats(out, s[0], s[1], k, s[2], s[3]);
  }

  /** A Conv3d kernel {@code (O, I, k, p, p)} summed over time to {@code (O, I, p, p)}. */
  static TensorData sumKernel(TensorData w) {
    long[] s = w.shape();
    float[] in = w.toFloats();
    int k = (int) s[2];
    int plane = (int) (s[3] * s[4]);
    int oi = (int) (s[0] * s[1]);
    float[] out = new float[oi * plane];
    for (int a = 0; a < oi; a++) {
      for (int t = 0; t < k; t++) {
        for (int q = 0; q < plane; q++) {
          out[a * plane + q] += in[(a * k + t) * plane + q];
        }
      }
    }
    return TensorData.ofFloats(out, s[0], s[1], s[3], s[4]);
  }

  /** Scales row i of a weight {@code (O, ...)} or element i of a bias {@code (O)} by {@code gamma[i]}. */
  static TensorData scaleRows(TensorData x, TensorData gamma) {
    float[] g = gamma.toFloats();
    long[] s = x.shape();
    if (s[0] != g.length) {
      return x;
    }
    float[] v = x.toFloats();
    int per = v.length / g.length;
    for (int i = 0; i < g.length; i++) {
      for (int j = 0; j < per; j++) {
        v[i * per + j] *= g[i];
      }
    }
    return TensorData.ofFloats(v, s);
  }

  /** BEiT's qkv bias: {@code cat(q_bias, zeros, v_bias)}. */
  static TensorData qkvBias(TensorData q, TensorData v) {
    float[] qf = q.toFloats();
    float[] vf = v.toFloats();
    float[] out = new float[qf.length * 3];
    System.arraycopy(qf, 0, out, 0, qf.length);
    System.arraycopy(vf, 0, out, 2 * qf.length, vf.length);
    return TensorData.ofFloats(out, out.length);
  }
}
