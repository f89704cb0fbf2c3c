package org.bevt4j.core.train;

import ai.djl.ndarray.NDArray;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Module;

/** A frozen random-conv tokenizer: Conv2d 3 -> vocab with kernel = stride = q, argmax over channels. */
final class TinyTokenizer extends Module implements Tokenizer {
  private final int vocab;
  private final int size;
  private final int q;
  private final Conv conv;
  int reportedVocab;

  TinyTokenizer(int vocab, int size, int q) {
    this.vocab = vocab;
    this.reportedVocab = vocab;
    this.size = size;
    this.q = q;
    this.conv = child("conv", Conv.builder(3, vocab, q, q).optStride(q, q).optNames("w", "b").optInit(Init.uniform(1.0), Init.uniform(0.1)).build());
  }

  @Override
  public int vocabSize() {
    return reportedVocab;
  }

  @Override
  public int inputSize() {
    return size;
  }

  @Override
  public TokenGrid grid(int height, int width) {
    return TokenGrid.image(height / q, width / q);
  }

  @Override
  public NDArray encode(NDArray pixels) {
    return conv.forward(pixels.mul(2).sub(1)).argMax(1);
  }
}
