package org.bevt4j.peco.train;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.tokenizer.FeatureNetwork;
import org.bevt4j.api.tokenizer.FeatureNetworkFactory;

/** {@code perceptual.network = random-conv}: the test stand-in perceptual network. */
final class RandomConvNetworkFactory implements FeatureNetworkFactory {
  @Override
  public String name() {
    return "random-conv";
  }

  @Override
  public FeatureNetwork create(Config settings, BuildContext ctx) {
    return new RandomConvFeatures(ctx.manager());
  }
}
