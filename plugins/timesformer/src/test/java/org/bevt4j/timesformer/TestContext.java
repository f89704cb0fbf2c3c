package org.bevt4j.timesformer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Optional;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Tokenizer;

/** A minimal {@link BuildContext} for factory tests. */
final class TestContext implements BuildContext {
  private final NDManager manager;
  private final Config root;
  private final Path base;
  private Backbone backbone;

  TestContext(NDManager manager, Config root, Path base) {
    this.manager = manager;
    this.root = root == null ? ConfigFactory.empty() : root;
    this.base = base;
  }

  TestContext withBackbone(Backbone b) {
    this.backbone = b;
    return this;
  }

  @Override
  public Device device() {
    return manager.getDevice();
  }

  @Override
  public NDManager manager() {
    return manager;
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
    return root;
  }

  @Override
  public Optional<Backbone> backbone() {
    return Optional.ofNullable(backbone);
  }

  @Override
  public Optional<Tokenizer> tokenizer() {
    return Optional.empty();
  }
}
