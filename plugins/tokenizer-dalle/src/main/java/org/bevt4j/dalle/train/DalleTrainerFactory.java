package org.bevt4j.dalle.train;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.tokenizer.TokenizerTrainerFactory;
import org.bevt4j.api.tokenizer.TokenizerTrainingContext;
import org.bevt4j.api.tokenizer.TrainableTokenizer;
import org.pf4j.Extension;
import org.slf4j.LoggerFactory;

/**
 * {@code bevt4j train-tokenizer --type dalle}: trains a DALL-E dVAE (Gumbel-softmax relaxation,
 * KL to a uniform prior, logit-Laplace reconstruction) whose encoder the {@code dalle} tokenizer
 * loads; settings {@code bevt.model.tokenizer.dalle.training}.
 */
@Extension
public final class DalleTrainerFactory implements TokenizerTrainerFactory {
  @Override
  public String name() {
    return "dalle";
  }

  @Override
  public String description() {
    return "DALL-E dVAE: Gumbel-softmax relaxation (tau schedule), KL to uniform (weight schedule), logit-Laplace or L1/MSE";
  }

  @Override
  public TrainableTokenizer create(Config settings, BuildContext ctx) {
    DalleTrainingSettings s = DalleTrainingSettings.fromConfig(settings);
    if (TokenizerTrainingContext.perceptualNetwork(ctx).isPresent()) {
      LoggerFactory.getLogger(DalleTrainerFactory.class)
          .warn("the dalle objective has no perceptual term; the configured perceptual network is not used");
    }
    String w = s.model().weights();
    return new DalleTrainer(s, ctx.manager(), w == null ? null : ctx.resolvePath(w));
  }
}
