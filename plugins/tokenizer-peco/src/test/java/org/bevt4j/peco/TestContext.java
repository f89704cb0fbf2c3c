package org.bevt4j.peco;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Optional;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Tokenizer;

/** A minimal build context for factory tests: CPU, one manager, paths resolved against a base dir. */
record TestContext(NDManager manager, Path base) implements BuildContext {
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
