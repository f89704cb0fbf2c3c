package org.bevt4j.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Classification losses. */
public final class Losses {
  private Losses() {}

  /**
   * Cross-entropy with label smoothing ε over K classes: target = (1-ε)·onehot + ε/K, loss averaged
   * over the batch (as {@code torch.nn.CrossEntropyLoss(label_smoothing=ε)}).
   *
   * @param logits (B, K)
   * @param labels (B) integer class indices
   */
  public static NDArray crossEntropy(NDArray logits, NDArray labels, double smoothing) {
    long k = logits.getShape().get(1);
    NDArray logp = logits.logSoftmax(1);
    NDArray onehot = labels.toType(DataType.INT64, false).oneHot((int) k).toType(logits.getDataType(), false);
    NDArray target = onehot.mul(1 - smoothing).add(smoothing / k);
    return logp.mul(target).sum(new int[] {1}).neg().mean();
  }
}
