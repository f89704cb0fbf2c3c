package org.bevt4j.core.train;

import ai.djl.ndarray.NDArray;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Module;

/**
 * BEVT's {@code cls_head}: the shared vocabulary classifier {@code lm_head}, a plain Linear from
 * the decoder width to the tokenizer's vocabulary (trunc-normal std 0.02 weight, zero bias, as
 * upstream). No norm: decoder outputs are already normalised by the backbone.
 */
public final class VocabularyHead extends Module {
  private final Linear lmHead;

  public VocabularyHead(long featureDim, long vocabSize) {
    this.lmHead = child("lm_head", new Linear(featureDim, vocabSize, true, Init.truncNormal(0.02), Init.zeros()));
  }

  /** Logits {@code (..., vocab)} for features {@code (..., D)}. */
  public NDArray forward(NDArray features) {
    return lmHead.forward(features);
  }

  public Linear lmHead() {
    return lmHead;
  }
}
