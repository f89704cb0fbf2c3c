package org.bevt4j.core;

import com.google.inject.Injector;
import com.google.inject.Module;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.GuiceModuleContribution;
import org.bevt4j.api.Masker;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.core.config.ConfigCheck;
import org.bevt4j.core.config.ConfigErrors;
import org.bevt4j.core.config.ConfigLoader;
import org.bevt4j.core.config.ConfigRequest;
import org.bevt4j.core.config.ConfigValidator;
import org.bevt4j.core.config.LoadedConfig;
import org.bevt4j.core.config.Origins;
import org.bevt4j.core.config.ResolvedConfigWriter;
import org.bevt4j.core.config.RuntimeSettings;
import org.bevt4j.core.plugin.PluginHost;
import org.bevt4j.core.plugin.PluginHostOptions;
import org.bevt4j.core.registry.ExtensionFailure;
import org.bevt4j.core.registry.ExtensionRegistry;
import org.bevt4j.core.registry.Registries;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;

/**
 * The bevt4j runtime: starts the plugin host, loads and validates the configuration, builds the
 * single Guice injector and the registries, and builds components.
 *
 * <pre>{@code
 * try (BevtRuntime rt = BevtRuntime.builder().configFile(Path.of("run.conf")).set("bevt.train.seed=3").open();
 *      RuntimeBuildContext ctx = rt.newBuildContext()) {
 *   rt.validate();
 *   Backbone backbone = rt.buildBackbone(ctx);
 *   Decoder decoder = rt.buildDecoder(StreamKind.VIDEO, ctx);
 * }
 * }</pre>
 */
public final class BevtRuntime implements AutoCloseable {
  private final PluginHost host;
  private final LoadedConfig loaded;
  private final RuntimeSettings settings;
  private final Injector injector;
  private final Registries registries;
  private final ComponentBuilder components;
  private final List<ExtensionFailure> moduleFailures;
  private final Map<String, List<String>> modulesByOwner;

  private BevtRuntime(PluginHost host, LoadedConfig loaded, RuntimeSettings settings, GuiceWiring.Result wiring, Registries registries) {
    this.host = host;
    this.loaded = loaded;
    this.settings = settings;
    this.injector = wiring.injector();
    this.registries = registries;
    this.components = new ComponentBuilder(loaded.config(), registries);
    this.moduleFailures = wiring.failures();
    this.modulesByOwner = new TreeMap<>();
    for (ExtensionRegistry.Entry<GuiceModuleContribution> e : wiring.contributions()) {
      modulesByOwner.computeIfAbsent(e.owner(), k -> new ArrayList<>()).add(e.name());
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The plugin host (plugins, their states, refused plugins). */
  public PluginHost plugins() {
    return host;
  }

  /** The resolved configuration. */
  public Config config() {
    return loaded.config();
  }

  /** The configuration with its schema (merged references) and the user's request. */
  public LoadedConfig loadedConfig() {
    return loaded;
  }

  public RuntimeSettings settings() {
    return settings;
  }

  public Injector injector() {
    return injector;
  }

  public Registries registries() {
    return registries;
  }

  public ComponentBuilder components() {
    return components;
  }

  /** Extensions (including Guice module contributions) that could not be created. */
  public List<ExtensionFailure> extensionFailures() {
    List<ExtensionFailure> out = new ArrayList<>(moduleFailures);
    out.addAll(registries.failures());
    return out;
  }

  /** What each owner (core or plugin id) provides, per extension point, for listings. */
  public Map<String, Map<String, List<String>>> extensionsByOwner() {
    Map<String, Map<String, List<String>>> out = new TreeMap<>(registries.byOwner());
    modulesByOwner.forEach((owner, names) -> out.computeIfAbsent(owner, k -> new LinkedHashMap<>()).put(GuiceWiring.POINT, names));
    return out;
  }

  /**
   * Checks that every configured component type is installed (backbone, tokenizer, decoders other
   * than {@code default}, maskers, datasets), lets each of their factories check its settings
   * ({@link org.bevt4j.api.ComponentFactory#validate}) and runs the registered {@link ConfigCheck}s
   * (typed settings records); throws one {@link BevtConfigException} listing every problem.
   */
  public void validate() {
    List<BevtConfigException> errors = new ArrayList<>();
    for (ConfigCheck check : ServiceLoader.load(ConfigCheck.class, BevtRuntime.class.getClassLoader())) {
      try {
        check.check(config());
      } catch (BevtConfigException e) {
        errors.add(e);
      }
    }
    checkType(errors, "bevt.model.backbone", registries.backbones(), true);
    checkType(errors, "bevt.model.tokenizer", registries.tokenizers(), true);
    for (StreamKind s : StreamKind.values()) {
      String block = "bevt.model.decoder." + s.configName();
      if (!ComponentBuilder.DEFAULT_DECODER.equals(stringOrNull(block + ".type"))) {
        checkType(errors, block, registries.decoders(s), true);
      }
      checkType(errors, "bevt.masking." + s.configName(), registries.maskers(), false);
      checkType(errors, "bevt.data." + s.configName(), registries.datasets(), false);
    }
    ConfigErrors.throwIfAny(errors);
  }

  /**
   * Checks that {@code <block>.type} is installed and lets its factory validate its settings: the
   * block named after the type ({@code byTypeBlock}) or the whole block.
   */
  private void checkType(
      List<BevtConfigException> errors, String block, ExtensionRegistry<? extends org.bevt4j.api.ComponentFactory<?>> reg, boolean byTypeBlock) {
    String key = block + ".type";
    String type = stringOrNull(key);
    if (type == null) {
      return;
    }
    org.bevt4j.api.ComponentFactory<?> factory;
    try {
      factory = reg.get(type, key, Origins.describe(config().getValue(key)));
    } catch (BevtConfigException e) {
      errors.add(e);
      return;
    }
    String settingsPath = byTypeBlock ? block + "." + com.typesafe.config.ConfigUtil.joinPath(type) : block;
    try (org.bevt4j.core.plugin.ContextClassLoader ignored = org.bevt4j.core.plugin.ContextClassLoader.of(factory)) {
      factory.validate(components.subtree(settingsPath));
    } catch (BevtConfigException e) {
      errors.add(e);
    } catch (ConfigException e) {
      errors.add(ConfigErrors.from(e));
    } catch (IllegalArgumentException e) {
      ConfigValue v = config().hasPath(settingsPath) ? config().getValue(settingsPath) : config().getValue(key);
      errors.add(new BevtConfigException(settingsPath, Origins.describe(v), e.getMessage(), null));
    }
  }

  private String stringOrNull(String key) {
    try {
      return config().hasPath(key) ? config().getString(key) : null;
    } catch (ConfigException e) {
      ConfigValue v = config().getValue(key);
      throw new BevtConfigException(key, Origins.describe(v), "expected a type name, found " + v.render(), null);
    }
  }

  /** A build context on the configured device ({@code bevt.train.device}) with the run's seed. */
  public RuntimeBuildContext newBuildContext() {
    String origin = Origins.describe(config().getValue("bevt.train.device"));
    return new RuntimeBuildContext(Devices.select(settings.device(), origin), settings.seed(), loaded.baseDir(), config());
  }

  public Backbone buildBackbone(RuntimeBuildContext ctx) {
    return components.backbone(ctx);
  }

  public Tokenizer buildTokenizer(RuntimeBuildContext ctx) {
    return components.tokenizer(ctx);
  }

  public Decoder buildDecoder(StreamKind stream, RuntimeBuildContext ctx) {
    return components.decoder(stream, ctx);
  }

  public Masker buildMasker(StreamKind stream, RuntimeBuildContext ctx) {
    return components.masker(stream, ctx);
  }

  public Dataset buildDataset(StreamKind stream, RuntimeBuildContext ctx) {
    return components.dataset(stream, ctx);
  }

  /** The run directory ({@code bevt.run.dir}, relative to the working directory). */
  public Path runDir() {
    return loaded.request().workDir().resolve(settings.runDir()).normalize();
  }

  /** Creates the run directory and saves {@code config.resolved.conf} into it; returns the directory. */
  public Path prepareRunDir() {
    Path dir = runDir();
    try {
      ResolvedConfigWriter.save(config(), dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + ResolvedConfigWriter.FILE_NAME + " into " + dir, e);
    }
    return dir;
  }

  /** Stops the plugins. Close build contexts (and their components) first. */
  @Override
  public void close() {
    host.close();
  }

  /** Options of {@link #open()}. */
  public static final class Builder {
    private Path configFile;
    private final List<String> sets = new ArrayList<>();
    private boolean systemProperties = true;
    private Path pluginsDir;
    private RuntimeMode mode;
    private Path home;
    private Path workDir;
    private boolean initEngine = true;
    private final List<Module> modules = new ArrayList<>();

    private Builder() {}

    /** The user's config file ({@code --config}). */
    public Builder configFile(Path file) {
      this.configFile = file;
      return this;
    }

    /** One {@code key=value} override ({@code --set}); later ones win. */
    public Builder set(String assignment) {
      sets.add(assignment);
      return this;
    }

    public Builder sets(List<String> assignments) {
      sets.addAll(assignments);
      return this;
    }

    /** Whether {@code -Dbevt.*} system properties override the configuration (default true). */
    public Builder systemProperties(boolean use) {
      this.systemProperties = use;
      return this;
    }

    /** The plugins folder, overriding {@code bevt.plugins.dir} and the detected default. */
    public Builder pluginsDir(Path dir) {
      this.pluginsDir = dir;
      return this;
    }

    /** Development or deployment mode, overriding detection (see {@link PluginHostOptions#detect()}). */
    public Builder mode(RuntimeMode mode) {
      this.mode = mode;
      return this;
    }

    /** The distribution's home (default: {@code -Dbevt4j.home}); supplies {@code conf/application.conf}. */
    public Builder home(Path home) {
      this.home = home;
      return this;
    }

    /** The working directory for relative paths (default: the process's). */
    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    /** Whether to initialise the PyTorch engine before plugins start (default true). */
    public Builder initEngine(boolean init) {
      this.initEngine = init;
      return this;
    }

    /** An extra Guice module for the host injector (tests, embedding applications). */
    public Builder module(Module module) {
      modules.add(module);
      return this;
    }

    /** Starts everything; on failure whatever was started is stopped again. */
    public BevtRuntime open() {
      Path homeDir = home != null ? home : PluginHostOptions.home();
      Path appConf = homeDir == null ? null : homeDir.resolve("conf/application.conf");
      ConfigRequest request = new ConfigRequest(configFile, sets, systemProperties ? System.getProperties() : null, appConf, workDir);
      PluginHostOptions options = PluginLocation.options(request, pluginsDir, mode, homeDir).withInitEngine(initEngine);
      PluginHost host = PluginHost.start(options);
      try {
        Map<String, Config> references = new LinkedHashMap<>();
        for (PluginWrapper w : host.started()) {
          references.put(w.getPluginId(), ConfigLoader.pluginReference(w.getPluginId(), w.getPluginClassLoader()));
        }
        LoadedConfig loaded = ConfigLoader.load(request, references);
        ConfigValidator.validate(loaded.config(), loaded.reference());
        RuntimeSettings settings = RuntimeSettings.from(loaded.config());
        List<Module> core = new ArrayList<>();
        core.add(new CoreModule(loaded.config(), settings, host.manager()));
        core.addAll(modules);
        GuiceWiring.Result wiring = GuiceWiring.wire(host.manager(), core);
        host.manager().guiceExtensionFactory().setInjector(wiring.injector());
        Registries registries = Registries.collect(host.manager(), () -> notes(host));
        return new BevtRuntime(host, loaded, settings, wiring, registries);
      } catch (RuntimeException | Error e) {
        host.close();
        throw e;
      }
    }

    private static List<String> notes(PluginHost host) {
      List<String> problems = host.problems();
      return problems.isEmpty() ? List.of() : List.of("plugins not available (bevt4j plugins shows why): " + problems);
    }
  }
}
