package org.bevt4j.api.tokenizer;

import org.bevt4j.api.Experimental;
import java.util.Optional;
import org.bevt4j.api.BuildContext;

/**
 * The build context the tokenizer-training loop hands to {@link TokenizerTrainerFactory#create}:
 * a {@link BuildContext} plus the perceptual feature network configured under
 * {@code bevt.tokenizer-training.perceptual} (empty when {@code network = none}).
 */
@Experimental
public interface TokenizerTrainingContext extends BuildContext {
  /** The frozen perceptual feature network, if one is configured. */
  Optional<FeatureNetwork> perceptualNetwork();

  /** The perceptual network of {@code ctx} when it is a training context, else empty. */
  static Optional<FeatureNetwork> perceptualNetwork(BuildContext ctx) {
    return ctx instanceof TokenizerTrainingContext t ? t.perceptualNetwork() : Optional.empty();
  }
}
