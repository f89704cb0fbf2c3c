package org.bevt4j.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.pf4j.BasePluginLoader;
import org.pf4j.BasePluginRepository;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.CompoundPluginRepository;
import org.pf4j.DefaultPluginClasspath;
import org.pf4j.DefaultPluginManager;
import org.pf4j.DefaultPluginRepository;
import org.pf4j.DevelopmentPluginClasspath;
import org.pf4j.ExtensionFactory;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginClasspath;
import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRepository;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;
import org.pf4j.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bevt4j's PF4J plugin manager.
 *
 * <ul>
 *   <li>plugin class loaders are {@link BevtPluginClassLoader}s (host libraries come from the host);
 *   <li>development mode reads each plugin module's {@code target/classes} (only folders holding a
 *       {@code plugin.properties}); deployment mode reads zips (expanded next to them) and folders;
 *   <li>a plugin that bundles a host library is refused ({@link HostLibraryCheck});
 *   <li>load, resolve and start failures are isolated per plugin and kept for reporting
 *       ({@link #rejected()}, {@link PluginWrapper#getFailedException()});
 *   <li>plugins start with the thread context class loader set to their own loader;
 *   <li>{@link #stopPlugins()} works around PF4J issue #656 (ConcurrentModificationException with
 *       three or more started plugins).
 * </ul>
 *
 * <p>The run mode is fixed at construction (PF4J reads it while still inside its constructor).
 */
public class BevtPluginManager extends DefaultPluginManager {
  private static final Logger log = LoggerFactory.getLogger(BevtPluginManager.class);
  private static final ThreadLocal<RuntimeMode> INIT_MODE = new ThreadLocal<>();

  private final List<RejectedPlugin> rejected = new ArrayList<>();
  private final Map<String, String> invalidReasons = new LinkedHashMap<>();

  /**
   * @param pluginsDir the plugins folder (zips/folders, or plugin module folders in development)
   * @param mode development or deployment
   * @param systemVersion the framework version that {@code plugin.requires} is checked against
   */
  public BevtPluginManager(Path pluginsDir, RuntimeMode mode, String systemVersion) {
    super(prepare(pluginsDir, mode));
    INIT_MODE.remove();
    setSystemVersion(systemVersion);
    setResolveRecoveryStrategy(ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE);
  }

  private static List<Path> prepare(Path pluginsDir, RuntimeMode mode) {
    INIT_MODE.set(mode);
    return List.of(pluginsDir.toAbsolutePath().normalize());
  }

  @Override
  protected void initialize() {
    RuntimeMode mode = INIT_MODE.get();
    if (mode != null) {
      runtimeMode = mode;
    }
    super.initialize();
  }

  /** The (single) plugins folder. */
  public Path pluginsDir() {
    return getPluginsRoot();
  }

  /** The Guice-backed extension factory (give it the injector once it exists). */
  public GuiceExtensionFactory guiceExtensionFactory() {
    return (GuiceExtensionFactory) getExtensionFactory();
  }

  /** Plugins found but not loaded, with the reason. */
  public List<RejectedPlugin> rejected() {
    return Collections.unmodifiableList(rejected);
  }

  /** Why a loaded plugin was disabled as invalid (e.g. its {@code plugin.requires}), or null. */
  public String invalidReason(String pluginId) {
    return invalidReasons.get(pluginId);
  }

  @Override
  protected ExtensionFactory createExtensionFactory() {
    return new GuiceExtensionFactory();
  }

  @Override
  protected PluginRepository createPluginRepository() {
    BasePluginRepository development =
        new BasePluginRepository(
            getPluginsRoots(),
            f -> f.isDirectory() && !f.isHidden() && new java.io.File(f, "plugin.properties").isFile());
    return new CompoundPluginRepository()
        .add(development, this::isDevelopment)
        .add(new DefaultPluginRepository(getPluginsRoots()), this::isNotDevelopment);
  }

  @Override
  protected PluginLoader createPluginLoader() {
    return new CompoundPluginLoader()
        .add(new HostFirstLoader(new DevelopmentPluginClasspath()), this::isDevelopment)
        .add(new HostFirstLoader(new DefaultPluginClasspath()), this::isNotDevelopment);
  }

  /** A PF4J loader whose class loaders delegate host packages to the host. */
  private final class HostFirstLoader extends BasePluginLoader {
    HostFirstLoader(PluginClasspath classpath) {
      super(BevtPluginManager.this, classpath);
    }

    @Override
    public boolean isApplicable(Path pluginPath) {
      return Files.isDirectory(pluginPath);
    }

    @Override
    protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
      return new BevtPluginClassLoader(pluginManager, descriptor, BevtPluginManager.class.getClassLoader());
    }
  }

  @Override
  public void loadPlugins() {
    if (isNotDevelopment()) {
      expandZips();
    }
    List<Path> paths = pluginRepository.getPluginPaths(); // expands zips in deployment mode
    log.debug("Plugin candidates in {}: {}", getPluginsRoots(), paths);
    Set<String> loaded = new HashSet<>();
    for (Path path : paths) {
      try {
        PluginWrapper w = loadPluginFromPath(path);
        if (w != null) {
          loaded.add(w.getPluginId());
        }
      } catch (RuntimeException | LinkageError e) {
        reject(path, readId(path), GuiceExtensionFactory.describe(e));
      }
    }
    resolvePlugins();
    for (String id : loaded) {
      if (getPlugin(id) == null) {
        reject(pluginPathOf(id, paths), id, "unresolved dependencies: " + describeDependencies(id, paths));
      }
    }
  }

  /** Expands every zip up front so that a broken one is reported rather than silently skipped. */
  private void expandZips() {
    for (Path root : getPluginsRoots()) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (var files = Files.list(root)) {
        for (Path zip : files.filter(FileUtils::isZipFile).sorted().toList()) {
          try {
            try (java.util.zip.ZipFile check = new java.util.zip.ZipFile(zip.toFile())) {
              if (check.size() == 0) {
                throw new IOException("the zip is empty");
              }
            }
            FileUtils.expandIfZip(zip);
          } catch (IOException | RuntimeException e) {
            rejected.add(new RejectedPlugin(zip, null, "cannot expand the plugin zip: " + GuiceExtensionFactory.describe(e)));
            log.error("Cannot expand plugin zip {}: {}", zip, e.toString());
          }
        }
      } catch (IOException e) {
        throw new PluginRuntimeException(e, "cannot list plugins folder {}", root);
      }
    }
  }

  @Override
  protected PluginWrapper loadPluginFromPath(Path pluginPath) {
    Path dir;
    try {
      dir = FileUtils.expandIfZip(pluginPath);
    } catch (IOException e) {
      throw new PluginRuntimeException(e, "cannot expand plugin zip {}: {}", pluginPath, e.getMessage());
    }
    List<HostLibraryCheck.Violation> bundled;
    try {
      bundled = HostLibraryCheck.scan(dir);
    } catch (IOException e) {
      throw new PluginRuntimeException(e, "cannot inspect plugin {}: {}", dir, e.getMessage());
    }
    if (!bundled.isEmpty()) {
      String id = readId(dir);
      throw new PluginRuntimeException(
          "plugin '{}' ({}) is refused: it bundles host librar{} {}. DJL, bevt4j-api, PF4J, Guice, Typesafe Config and"
              + " SLF4J come from the host; declare them <scope>provided</scope> so they stay out of the plugin's lib/",
          id != null ? id : dir.getFileName(),
          displayName(dir),
          bundled.size() == 1 ? "y" : "ies",
          bundled.stream().map(Object::toString).collect(Collectors.joining(", ")));
    }
    if (isDevelopment() && !Files.isDirectory(dir.resolve("target/classes"))) {
      log.warn("Plugin module {} has no target/classes; compile it first (mvn -pl <module> -am compile)", dir);
    }
    return super.loadPluginFromPath(dir);
  }

  @Override
  protected boolean isPluginValid(PluginWrapper pluginWrapper) {
    boolean valid = super.isPluginValid(pluginWrapper);
    if (!valid) {
      invalidReasons.put(
          pluginWrapper.getPluginId(),
          "requires bevt4j " + pluginWrapper.getDescriptor().getRequires() + " but this is bevt4j " + getSystemVersion());
    }
    return valid;
  }

  /** Starts every resolved plugin, each with its own loader as thread context class loader. */
  @Override
  public void startPlugins() {
    for (PluginWrapper w : new ArrayList<>(getResolvedPlugins())) {
      if (w.getPluginState() == PluginState.RESOLVED || w.getPluginState() == PluginState.STOPPED) {
        try (ContextClassLoader ignored = ContextClassLoader.use(w.getPluginClassLoader())) {
          startPlugin(w.getPluginId());
        }
      }
    }
  }

  /** Stops the started plugins in reverse order (PF4J #656 workaround: iterate over a copy). */
  @Override
  public void stopPlugins() {
    List<PluginWrapper> started = new ArrayList<>(getStartedPlugins());
    Collections.reverse(started);
    for (PluginWrapper w : started) {
      if (!w.getPluginState().isStarted()) {
        continue;
      }
      try (ContextClassLoader ignored = ContextClassLoader.use(w.getPluginClassLoader())) {
        stopPlugin(w.getPluginId());
      } catch (RuntimeException | LinkageError e) {
        log.warn("Plugin '{}' failed to stop: {}", w.getPluginId(), GuiceExtensionFactory.describe(e));
      }
    }
  }

  private void reject(Path path, String id, String reason) {
    log.error("Plugin {} not loaded: {}", id != null ? id : path, reason);
    rejected.add(new RejectedPlugin(zipOf(path), id, reason));
  }

  private static Path zipOf(Path dir) {
    if (dir == null) {
      return null;
    }
    Path zip = dir.resolveSibling(dir.getFileName() + ".zip");
    return Files.isRegularFile(zip) ? zip : dir;
  }

  private static String displayName(Path dir) {
    return String.valueOf(zipOf(dir).getFileName());
  }

  /** The plugin id from a folder's plugin.properties, or null. */
  static String readId(Path dir) {
    Path props = dir == null ? null : dir.resolve("plugin.properties");
    if (props == null || !Files.isRegularFile(props)) {
      return null;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(props)) {
      p.load(in);
      return p.getProperty("plugin.id");
    } catch (IOException e) {
      return null;
    }
  }

  private static Path pluginPathOf(String id, List<Path> paths) {
    for (Path p : paths) {
      if (id.equals(readId(p))) {
        return p;
      }
    }
    return null;
  }

  private String describeDependencies(String id, List<Path> paths) {
    Path dir = pluginPathOf(id, paths);
    if (dir == null) {
      return "(unknown)";
    }
    try {
      PluginDescriptor d = getPluginDescriptorFinder().find(dir);
      List<String> out = new ArrayList<>();
      for (PluginDependency dep : d.getDependencies()) {
        PluginWrapper w = getPlugin(dep.getPluginId());
        String state = w == null ? "missing" : "found " + w.getDescriptor().getVersion();
        out.add(dep.getPluginId() + "@" + dep.getPluginVersionSupport() + " (" + state + ")");
      }
      return String.join(", ", out);
    } catch (RuntimeException e) {
      return "(unknown)";
    }
  }
}
