package org.bevt4j.core.eval;

import ai.djl.ndarray.NDArray;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Ops;

/**
 * mmaction's {@code I3DHead} for action classification: global average pooling of the backbone's
 * final feature map (or mean of its non-prefix tokens), dropout, then {@code fc_cls} (keys
 * {@code fc_cls.weight}, {@code fc_cls.bias}; under {@code cls_head.} in mmaction checkpoints),
 * initialised with std 0.01 as upstream.
 */
public final class ClassificationHead extends Module {
  private final Linear fc;
  private final double dropout;
  private final boolean clsToken;

  public ClassificationHead(long features, int numClasses, double dropout) {
    this(features, numClasses, dropout, false);
  }

  /**
   * @param clsToken pool a token sequence by its first prefix (class) token instead of the mean of
   *     the other tokens (spatial maps are always averaged)
   */
  public ClassificationHead(long features, int numClasses, double dropout, boolean clsToken) {
    this.fc = child("fc_cls", new Linear(features, numClasses, true, Init.truncNormal(0.01), Init.zeros()));
    this.dropout = dropout;
    this.clsToken = clsToken;
  }

  /** Number of classes. */
  public long numClasses() {
    return fc.namedParameters().get("weight").shape().get(0);
  }

  /** Pools a feature map to (B, C). */
  public static NDArray pool(FeatureMap map) {
    NDArray f = map.features();
    if (map.tokens()) {
      return f.get(":, " + map.prefixTokens() + ":, :").mean(new int[] {1});
    }
    return f.reshape(f.getShape().get(0), f.getShape().get(1), -1).mean(new int[] {2});
  }

  /** Class logits (B, K) from the final feature map. */
  public NDArray forward(FeatureMap last, boolean training) {
    NDArray pooled;
    if (clsToken && last.tokens()) {
      if (last.prefixTokens() < 1) {
        throw new org.bevt4j.api.BevtException("head pooling = cls needs a class token, but feature map " + last.name() + " has none");
      }
      pooled = last.features().get(":, 0, :");
    } else {
      pooled = pool(last);
    }
    return fc.forward(Ops.dropout(pooled, dropout, training));
  }
}
