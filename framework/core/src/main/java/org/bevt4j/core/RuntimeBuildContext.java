package org.bevt4j.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Optional;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.core.plugin.PluginHost;

/**
 * The {@link BuildContext} of one run: the device, a long-lived manager that owns every
 * component's parameters (closed with the context), the seed, relative-path resolution against the
 * config file's directory, and the components built so far.
 */
public final class RuntimeBuildContext implements BuildContext, AutoCloseable {
  private final Device device;
  private final NDManager manager;
  private final long seed;
  private final Path baseDir;
  private final Config root;
  private Backbone backbone;
  private Tokenizer tokenizer;

  /**
   * @param device where components live
   * @param seed the run seed
   * @param baseDir relative paths are resolved against it (the config file's directory)
   * @param root the resolved configuration
   */
  public RuntimeBuildContext(Device device, long seed, Path baseDir, Config root) {
    this.device = device;
    this.manager = Engine.getEngine(PluginHost.ENGINE).newBaseManager(device);
    this.manager.setName("bevt4j-components");
    this.seed = seed;
    this.baseDir = baseDir.toAbsolutePath().normalize();
    this.root = root;
  }

  @Override
  public Device device() {
    return device;
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  @Override
  public long seed() {
    return seed;
  }

  /** Absolute paths stay; {@code ~/x} is under the user's home; others are under the base dir. */
  @Override
  public Path resolvePath(String path) {
    if (path == null) {
      throw new IllegalArgumentException("path is null");
    }
    if (path.equals("~") || path.startsWith("~/")) {
      return Path.of(System.getProperty("user.home")).resolve(path.length() > 2 ? path.substring(2) : "").normalize();
    }
    Path p = Path.of(path);
    return p.isAbsolute() ? p.normalize() : baseDir.resolve(p).normalize();
  }

  public Path baseDir() {
    return baseDir;
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
    return Optional.ofNullable(tokenizer);
  }

  /** Records the backbone (decoders built afterwards see it). */
  public void setBackbone(Backbone backbone) {
    this.backbone = backbone;
  }

  public void setTokenizer(Tokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** Closes the manager and with it every component's parameters. */
  @Override
  public void close() {
    manager.close();
  }
}
