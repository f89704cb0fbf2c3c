package org.bevt4j.testkit;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Optional;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.api.tokenizer.FeatureNetwork;
import org.bevt4j.api.tokenizer.TokenizerTrainingContext;

/**
 * A {@link BuildContext} (and {@link TokenizerTrainingContext}) for a plugin's factory tests,
 * without the host: one manager on its device, relative paths resolved against a base folder, an
 * empty root configuration unless given, seed 0, and optionally an already built backbone (for
 * decoder factories), tokenizer or perceptual network. Immutable: the {@code with*} methods return
 * copies.
 *
 * <pre>{@code
 * try (NDManager m = NDManager.newBaseManager()) {
 *   Backbone b = new MyBackboneFactory().create(settings, TestBuildContext.of(m).withBaseDir(fixtureDir));
 *   Decoder d = new MyDecoderFactory().create(decoderSettings, TestBuildContext.of(m).withBackbone(b));
 * }
 * }</pre>
 *
 * @param manager where components create their parameters
 * @param baseDir what relative paths resolve against
 * @param rootConfig the whole configuration a component may consult
 * @param seed the build seed
 * @param builtBackbone the backbone already built, or null
 * @param builtTokenizer the tokenizer already built, or null
 * @param perceptual the perceptual network of a tokenizer-training context, or null
 */
public record TestBuildContext(
    NDManager manager, Path baseDir, Config rootConfig, long seed, Backbone builtBackbone, Tokenizer builtTokenizer, FeatureNetwork perceptual)
    implements TokenizerTrainingContext {

  public TestBuildContext {
    if (manager == null) {
      throw new IllegalArgumentException("manager is required");
    }
    baseDir = baseDir == null ? Path.of(".") : baseDir;
    rootConfig = rootConfig == null ? ConfigFactory.empty() : rootConfig;
  }

  /** A context on {@code manager}: base folder ".", empty configuration, seed 0, nothing built. */
  public static TestBuildContext of(NDManager manager) {
    return new TestBuildContext(manager, null, null, 0, null, null, null);
  }

  /** A copy resolving relative paths against {@code dir}. */
  public TestBuildContext withBaseDir(Path dir) {
    return new TestBuildContext(manager, dir, rootConfig, seed, builtBackbone, builtTokenizer, perceptual);
  }

  /** A copy with this root configuration (null = empty). */
  public TestBuildContext withRootConfig(Config root) {
    return new TestBuildContext(manager, baseDir, root, seed, builtBackbone, builtTokenizer, perceptual);
  }

  /** A copy with this seed. */
  public TestBuildContext withSeed(long s) {
    return new TestBuildContext(manager, baseDir, rootConfig, s, builtBackbone, builtTokenizer, perceptual);
  }

  /** A copy whose {@link #backbone()} is {@code b} (decoder factories read it). */
  public TestBuildContext withBackbone(Backbone b) {
    return new TestBuildContext(manager, baseDir, rootConfig, seed, b, builtTokenizer, perceptual);
  }

  /** A copy whose {@link #tokenizer()} is {@code t}. */
  public TestBuildContext withTokenizer(Tokenizer t) {
    return new TestBuildContext(manager, baseDir, rootConfig, seed, builtBackbone, t, perceptual);
  }

  /** A copy whose {@link #perceptualNetwork()} is {@code network} (null = none). */
  public TestBuildContext withPerceptualNetwork(FeatureNetwork network) {
    return new TestBuildContext(manager, baseDir, rootConfig, seed, builtBackbone, builtTokenizer, network);
  }

  @Override
  public Device device() {
    return manager.getDevice();
  }

  @Override
  public Path resolvePath(String path) {
    return baseDir.resolve(path);
  }

  @Override
  public Optional<Backbone> backbone() {
    return Optional.ofNullable(builtBackbone);
  }

  @Override
  public Optional<Tokenizer> tokenizer() {
    return Optional.ofNullable(builtTokenizer);
  }

  @Override
  public Optional<FeatureNetwork> perceptualNetwork() {
    return Optional.ofNullable(perceptual);
  }
}
