package org.bevt4j.peco.train;

import ai.djl.ndarray.NDArray;

/**
 * Exponential-moving-average codebook update (VQ-VAE, van den Oord et al. 2017, appendix; the
 * sonnet {@code VectorQuantizerEMA} formulation), with Laplace smoothing of the cluster sizes. For
 * this step's assignment counts {@code c_i} and sums of assigned encoder outputs {@code s_i}:
 *
 * <pre>
 *   N_i  ← γ N_i + (1 − γ) c_i                 (cluster_size)
 *   m_i  ← γ m_i + (1 − γ) s_i                 (embed_avg)
 *   n    = Σ_i N_i
 *   Ñ_i  = (N_i + ε) / (n + K ε) · n           (Laplace smoothing, K codes)
 *   e_i  = m_i / Ñ_i                           (the codebook)
 * </pre>
 */
public final class EmaCodebook {
  private EmaCodebook() {}

  /**
   * Updates {@code clusterSize (K)} and {@code embedAvg (K, D)} in place and returns the new
   * codebook {@code (K, D)}.
   *
   * @param counts this step's assignments per code {@code (K)}, float
   * @param sums this step's sum of the encoder outputs assigned to each code {@code (K, D)}
   * @param decay γ in [0, 1)
   * @param eps ε > 0
   */
  public static NDArray update(NDArray clusterSize, NDArray embedAvg, NDArray counts, NDArray sums, double decay, double eps) {
    long k = clusterSize.getShape().get(0);
    clusterSize.muli((float) decay).addi(counts.mul((float) (1 - decay)));
    embedAvg.muli((float) decay).addi(sums.mul((float) (1 - decay)));
    NDArray n = clusterSize.sum();
    NDArray smoothed = clusterSize.add((float) eps).div(n.add((float) (k * eps))).mul(n);
    return embedAvg.div(smoothed.expandDims(1));
  }
}
