package org.bevt4j.api.tokenizer;

import org.bevt4j.api.Experimental;
import ai.djl.ndarray.NDArray;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.ParameterOwner;

/**
 * A tokenizer being trained: its encoder and quantizer (under the tokenizer plugin's weight names),
 * a decoder, and the losses. The generic loop in core calls, once per step and inside one
 * {@code NDScope}:
 *
 * <ol>
 *   <li>{@link #loss} inside the gradient collector, then backward of {@link TokenizerLoss#total};
 *   <li>the optimizer step on {@link #trainableParameters()};
 *   <li>{@link #afterStep} (outside the collector, same scope) for updates that are not gradient
 *       steps: EMA codebook updates, dead-code restarts, ...
 * </ol>
 *
 * {@link #namedParameters()} is the complete training state (parameters and buffers, e.g. EMA
 * statistics) saved in checkpoints; {@link #save} writes only what the tokenizer plugin loads.
 */
@Experimental
public interface TrainableTokenizer extends ParameterOwner, AutoCloseable {
  /** The tokenizer type this trains ({@code peco}, {@code dalle}, ...). */
  String type();

  /** The square input resolution (pixels per side) the tokenizer is trained and used at. */
  int inputSize();

  /** Codebook size. */
  int vocabSize();

  /** Pixels per token along each side (the encoder's downsampling factor). */
  int downsampling();

  /** The parameters the optimizer updates (frozen parts and buffers excluded), by unique name. */
  default Map<String, Param> trainableParameters() {
    Map<String, Param> out = new LinkedHashMap<>();
    namedParameters().forEach((k, p) -> {
      if (p.isTrainable()) {
        out.put(k, p);
      }
    });
    return out;
  }

  /**
   * One training forward pass on {@code pixels (N, 3, S, S)} in [0, 1], {@code S = inputSize()}.
   * Called inside a gradient collector; {@code step} is the number of optimizer steps already
   * taken (for schedules such as a temperature or a KL weight).
   */
  TokenizerLoss loss(NDArray pixels, long step);

  /**
   * Non-gradient updates after the optimizer step of {@code step} (the value passed to the
   * preceding {@link #loss}); called outside the gradient collector, in the same scope as that
   * {@code loss}. The default does nothing.
   */
  default void afterStep(long step) {}

  /** Token ids {@code (N, S/f, S/f)} int64 for pixels in [0, 1], exactly as the plugin's tokenizer. */
  NDArray encode(NDArray pixels);

  /** Pixels {@code (N, 3, S, S)} in [0, 1] for token ids {@code (N, h, w)}. */
  NDArray decode(NDArray ids);

  /** {@code decode(encode(pixels))}: what survives tokenization. */
  default NDArray reconstruct(NDArray pixels) {
    return decode(encode(pixels));
  }

  /**
   * Per-code assignment counts accumulated by {@link #loss} since the previous call (which resets
   * them); length {@link #vocabSize()}.
   */
  long[] takeCodeCounts();

  /**
   * Writes the trained tokenizer as a {@code .safetensors} file that the tokenizer plugin's factory
   * loads with {@code weights = <file>} exactly like released weights (extra keys such as a
   * decoder are allowed where the plugin ignores them).
   */
  void save(Path file) throws IOException;

  /**
   * The tokenizer plugin's settings subtree (the keys of {@code bevt.model.tokenizer.<type>},
   * without {@code weights}) describing this architecture, so that a config selecting the saved
   * file builds the same model.
   */
  Config tokenizerSettings();

  /** Releases native resources held outside the parameters (the default holds none). */
  @Override
  default void close() {}
}
