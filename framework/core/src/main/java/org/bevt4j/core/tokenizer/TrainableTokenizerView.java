package org.bevt4j.core.tokenizer;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.api.tokenizer.TrainableTokenizer;
import org.bevt4j.nn.Param;

/** A {@link TrainableTokenizer} seen as a frozen {@link Tokenizer} (for comparisons and reports). */
public final class TrainableTokenizerView implements Tokenizer {
  private final TrainableTokenizer t;

  public TrainableTokenizerView(TrainableTokenizer t) {
    this.t = t;
  }

  @Override
  public Map<String, Param> namedParameters() {
    return t.namedParameters();
  }

  @Override
  public int vocabSize() {
    return t.vocabSize();
  }

  @Override
  public int inputSize() {
    return t.inputSize();
  }

  @Override
  public TokenGrid grid(int height, int width) {
    int f = t.downsampling();
    if (height < f || width < f || height % f != 0 || width % f != 0) {
      throw new IllegalArgumentException("height and width must be positive multiples of " + f + ", found " + height + "x" + width);
    }
    return TokenGrid.image(height / f, width / f);
  }

  @Override
  public NDArray encode(NDArray pixels) {
    return t.encode(pixels);
  }
}
