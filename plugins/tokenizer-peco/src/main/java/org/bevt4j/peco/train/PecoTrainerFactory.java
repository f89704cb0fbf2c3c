package org.bevt4j.peco.train;

import com.typesafe.config.Config;
import java.nio.file.Path;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Settings;
import org.bevt4j.api.tokenizer.FeatureNetwork;
import org.bevt4j.api.tokenizer.TokenizerTrainerFactory;
import org.bevt4j.api.tokenizer.TokenizerTrainingContext;
import org.bevt4j.api.tokenizer.TrainableTokenizer;
import org.pf4j.Extension;

/**
 * {@code bevt4j train-tokenizer --type peco}: trains a VQGAN-family tokenizer with the PeCo
 * objective (reconstruction + codebook/commitment + perceptual) that the {@code peco} tokenizer
 * loads; settings {@code bevt.model.tokenizer.peco.training}.
 */
@Extension
public final class PecoTrainerFactory implements TokenizerTrainerFactory {
  @Override
  public String name() {
    return "peco";
  }

  @Override
  public String description() {
    return "PeCo objective: VQGAN encoder/decoder, L1/L2 + codebook/commitment (EMA, dead-code restarts) + perceptual loss";
  }

  @Override
  public TrainableTokenizer create(Config settings, BuildContext ctx) {
    PecoTrainingSettings s = PecoTrainingSettings.fromConfig(settings);
    FeatureNetwork net = TokenizerTrainingContext.perceptualNetwork(ctx).orElse(null);
    if (s.perceptualWeight() > 0 && net == null) {
      Settings p = Settings.of(settings, PecoTrainingSettings.PATH).sub("perceptual");
      throw new BevtConfigException(
          p.full("weight"), p.origin("weight"),
          "is " + s.perceptualWeight() + " but no perceptual feature network is configured",
          "set bevt.tokenizer-training.perceptual.network (e.g. dalle-encoder with the converted DALL-E encoder weights, "
              + "or backbone), or set " + p.full("weight") + " = 0 to train without the perceptual term");
    }
    Path weights = s.model().weights() == null ? null : ctx.resolvePath(s.model().weights());
    return new PecoTrainer(s, ctx.manager(), weights, net);
  }
}
