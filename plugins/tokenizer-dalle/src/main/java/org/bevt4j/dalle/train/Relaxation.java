package org.bevt4j.dalle.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.bevt4j.nn.Scalars;

/**
 * The dVAE's discrete bottleneck: the Gumbel-softmax relaxation of sampling a code per position
 * (Jang et al. 2017; Maddison et al. 2017) and the KL divergence of the encoder's categorical
 * distribution from the uniform prior over the codebook. Logits are {@code (N, K, h, w)}, codes
 * on axis 1.
 */
public final class Relaxation {
  private static final float TINY = 1e-10f;

  private Relaxation() {}

  /**
   * {@code softmax((logits + g) / τ)} over the codes with Gumbel noise {@code g = −log(−log u)},
   * {@code u ~ U(0, 1)} from the engine's RNG. With {@code straightThrough}, the forward value is
   * the one-hot of its argmax and the gradient is the relaxed sample's.
   */
  public static NDArray gumbelSoftmax(NDArray logits, double tau, boolean straightThrough) {
    NDArray u = logits.getManager().randomUniform(0f, 1f, logits.getShape(), DataType.FLOAT32, logits.getDevice());
    NDArray g = u.add(TINY).log().neg().add(TINY).log().neg();
    NDArray soft = Scalars.div(logits.add(g), tau).softmax(1);
    if (!straightThrough) {
      return soft;
    }
    NDArray hard = oneHot(soft.argMax(1), (int) logits.getShape().get(1));
    return hard.add(soft.sub(soft.stopGradient()));
  }

  /** One-hot code maps {@code (N, K, h, w)} float32 for ids {@code (N, h, w)}. */
  public static NDArray oneHot(NDArray ids, int k) {
    return ids.oneHot(k).transpose(0, 3, 1, 2);
  }

  /**
   * {@code KL(q || uniform) = Σ_k q_k (log q_k + log K)} per position, averaged over batch and
   * positions, with {@code q = softmax(logits)}.
   */
  public static NDArray klToUniform(NDArray logits) {
    long k = logits.getShape().get(1);
    NDArray logQ = logits.logSoftmax(1);
    return logQ.exp().mul(logQ.add((float) Math.log(k))).sum(new int[] {1}).mean();
  }
}
