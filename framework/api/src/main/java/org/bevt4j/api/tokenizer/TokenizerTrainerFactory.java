package org.bevt4j.api.tokenizer;

import org.bevt4j.api.Experimental;
import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.ComponentFactory;

/**
 * Extension point for trainable tokenizers ({@code bevt4j train-tokenizer --type NAME}, config
 * {@code bevt.tokenizer-training.type}). {@link #name()} equals the matching
 * {@link org.bevt4j.api.TokenizerFactory}'s name. {@link #create} receives the type's settings
 * subtree {@link #settingsPath()} (with the selected preset applied) and a context
 * that is a {@link TokenizerTrainingContext} when the loop built a perceptual feature network;
 * parameters live in {@code ctx.manager()}, randomly initialised from the engine's seeded RNG.
 */
@Experimental
public interface TokenizerTrainerFactory extends ComponentFactory<TrainableTokenizer> {
  @Override
  TrainableTokenizer create(Config settings, BuildContext ctx);

  /**
   * Where the type's training settings live: by default {@code bevt.model.tokenizer.<name>.training},
   * inside the tokenizer plugin's own subtree (a plugin's {@code reference.conf} defines only that
   * subtree).
   */
  default String settingsPath() {
    return "bevt.model.tokenizer." + name() + ".training";
  }
}
