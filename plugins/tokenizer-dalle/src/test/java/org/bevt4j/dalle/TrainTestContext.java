package org.bevt4j.dalle;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Optional;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.api.tokenizer.FeatureNetwork;
import org.bevt4j.api.tokenizer.TokenizerTrainingContext;

/** A tokenizer-training context for tests: CPU, one manager, an optional perceptual network. */
public record TrainTestContext(NDManager manager, Path base, FeatureNetwork network) implements TokenizerTrainingContext {
  @Override
  public Optional<FeatureNetwork> perceptualNetwork() {
    return Optional.ofNullable(network);
  }

  @Override
  public Device device() {
    return manager.getDevice();
  }

  @Override
  public long seed() {
    return 0;
  }

  @Override
  public Path resolvePath(String path) {
    return base.resolve(path);
  }

  @Override
  public Config rootConfig() {
    return ConfigFactory.empty();
  }

  @Override
  public Optional<Backbone> backbone() {
    return Optional.empty();
  }

  @Override
  public Optional<Tokenizer> tokenizer() {
    return Optional.empty();
  }
}
