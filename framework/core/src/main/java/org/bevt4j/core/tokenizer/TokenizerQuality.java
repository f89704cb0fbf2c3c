package org.bevt4j.core.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.tokenizer.TrainableTokenizer;
import org.bevt4j.core.eval.TokenStatistics;

/**
 * How well a tokenizer represents frames: the PSNR of {@code decode(encode(x))} against {@code x}
 * (pixels in [0, 1], peak 1, MSE over all frames and sub-pixels), and the codebook usage and
 * perplexity of the tokens.
 *
 * @param psnr 10 log10(1 / MSE) in dB
 * @param mse mean squared error
 * @param usage fraction of the codebook used by these frames' tokens
 * @param perplexity 2^entropy of the token distribution (effective number of codes)
 * @param ids the tokens {@code (N, h, w)} flattened
 * @param reconstructions {@code (N, 3, S, S)}
 */
public record TokenizerQuality(double psnr, double mse, double usage, double perplexity, long[] ids, float[] reconstructions) {
  /** Evaluates {@code t} on host frames {@code (N, 3, S, S)}, in chunks of {@code chunk} frames. */
  public static TokenizerQuality measure(TrainableTokenizer t, HostTensor frames, NDManager manager, int chunk) {
    long[] s = frames.shape();
    int n = (int) s[0];
    int per = (int) (s[1] * s[2] * s[3]);
    float[] rec = new float[n * per];
    int grid = (int) (s[2] / t.downsampling()) * (int) (s[3] / t.downsampling());
    long[] ids = new long[n * grid];
    double sq = 0;
    for (int i = 0; i < n; i += chunk) {
      int m = Math.min(chunk, n - i);
      try (NDScope scope = new NDScope()) {
        float[] part = java.util.Arrays.copyOfRange(frames.data(), i * per, (i + m) * per);
        NDArray x = manager.create(part, new Shape(m, s[1], s[2], s[3]));
        NDArray tok = t.encode(x);
        NDArray r = t.decode(tok);
        System.arraycopy(tok.toType(DataType.INT64, false).toLongArray(), 0, ids, i * grid, m * grid);
        float[] rf = r.toFloatArray();
        System.arraycopy(rf, 0, rec, i * per, m * per);
        sq += r.sub(x).square().sum().getFloat();
      }
    }
    double mse = sq / ((double) n * per);
    double psnr = mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / mse);
    return new TokenizerQuality(psnr, mse, TokenStatistics.codebookUsage(ids, t.vocabSize()), TokenStatistics.perplexity(ids), ids, rec);
  }

  /**
   * The PSNR of replacing every frame by its own mean colour (per channel): a reference point for
   * texture-heavy data, where a reconstruction that keeps only colours and coarse regions scores
   * about this.
   */
  public static double meanColourPsnr(HostTensor frames) {
    long[] s = frames.shape();
    int n = (int) s[0];
    int c = (int) s[1];
    int plane = (int) (s[2] * s[3]);
    float[] d = frames.data();
    double sq = 0;
    for (int i = 0; i < n * c; i++) {
      double mean = 0;
      for (int p = 0; p < plane; p++) {
        mean += d[i * plane + p];
      }
      mean /= plane;
      for (int p = 0; p < plane; p++) {
        double e = d[i * plane + p] - mean;
        sq += e * e;
      }
    }
    double mse = sq / ((double) n * c * plane);
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / mse);
  }
}
