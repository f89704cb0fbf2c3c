package org.bevt4j.swin;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Optional;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Tokenizer;

/** A minimal build context for factory tests. */
record TestContext(NDManager manager, Config rootConfig, Path baseDir, Backbone built) implements BuildContext {
  TestContext(NDManager manager) {
    this(manager, ConfigFactory.empty(), Path.of("."), null);
  }

  TestContext withBackbone(Backbone b) {
    return new TestContext(manager, rootConfig, baseDir, b);
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
    return baseDir.resolve(path);
  }

  @Override
  public Optional<Backbone> backbone() {
    return Optional.ofNullable(built);
  }

  @Override
  public Optional<Tokenizer> tokenizer() {
    return Optional.empty();
  }
}
