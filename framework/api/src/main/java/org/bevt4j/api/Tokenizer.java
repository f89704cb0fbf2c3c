package org.bevt4j.api;

import ai.djl.ndarray.NDArray;
import org.bevt4j.nn.ParameterOwner;

/**
 * A frozen visual tokenizer. It runs without gradients, in eval mode, on the training device.
 * Input pixels are RGB in [0, 1], {@code (N, 3, H, W)}, already resized to {@link #inputSize()};
 * the tokenizer applies its own pixel convention (DALL-E {@code map_pixels}, VQGAN [-1, 1], ...).
 */
@Stable
public interface Tokenizer extends ParameterOwner {
  /** Size of the codebook; the trainer's vocabulary head has this many outputs. */
  int vocabSize();

  /** The square input resolution the tokenizer expects (BEVT DALL-E: 112). */
  int inputSize();

  /** The token grid produced for an input of {@code height x width}. */
  TokenGrid grid(int height, int width);

  /** Token ids {@code (N, h, w)} int64 for pixels {@code (N, 3, H, W)} in [0, 1]. */
  NDArray encode(NDArray pixels);

  /** Whether {@link #logits} is implemented (the default: no). */
  default boolean providesLogits() {
    return false;
  }

  /**
   * Scores over the codebook, {@code (N, vocab, h, w)} float32, for pixels {@code (N, 3, H, W)} in
   * [0, 1], whose argmax over dimension 1 is {@link #encode}'s ids (DALL-E: the encoder's logits).
   *
   * @throws UnsupportedOperationException unless {@link #providesLogits()}
   */
  default NDArray logits(NDArray pixels) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " provides no logits");
  }
}
