package org.bevt4j.core.tokenizer;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Optional;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.api.tokenizer.FeatureNetwork;
import org.bevt4j.api.tokenizer.TokenizerTrainingContext;

/**
 * The context handed to trainer factories: the run's {@link BuildContext} plus the perceptual
 * network. It reports no tokenizer (the data pipeline must size the tokenizer copy for the
 * tokenizer being trained, not for a configured one).
 */
final class TrainingBuildContext implements TokenizerTrainingContext {
  private final BuildContext base;
  private final FeatureNetwork network;
  private final NDManager manager;

  /**
   * @param manager where the built components live (a sub-manager of the run's, closed when the
   *     training ends), or null for the base context's
   */
  TrainingBuildContext(BuildContext base, FeatureNetwork network, NDManager manager) {
    this.base = base;
    this.network = network;
    this.manager = manager;
  }

  /** The same context with a perceptual network. */
  TrainingBuildContext withNetwork(FeatureNetwork net) {
    return new TrainingBuildContext(base, net, manager);
  }

  @Override
  public Optional<FeatureNetwork> perceptualNetwork() {
    return Optional.ofNullable(network);
  }

  @Override
  public Device device() {
    return base.device();
  }

  @Override
  public NDManager manager() {
    return manager != null ? manager : base.manager();
  }

  @Override
  public long seed() {
    return base.seed();
  }

  @Override
  public Path resolvePath(String path) {
    return base.resolvePath(path);
  }

  @Override
  public Config rootConfig() {
    return base.rootConfig();
  }

  @Override
  public Optional<Backbone> backbone() {
    return base.backbone();
  }

  @Override
  public Optional<Tokenizer> tokenizer() {
    return Optional.empty();
  }
}
