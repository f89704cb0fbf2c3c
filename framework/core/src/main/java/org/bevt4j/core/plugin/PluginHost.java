package org.bevt4j.core.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.BevtPluginException;
import org.bevt4j.core.BevtVersion;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;
import org.pf4j.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The started plugin host: loads the plugins, initialises the PyTorch engine in the host class
 * loader, starts the plugins (each failure isolated) and stops them on {@link #close()}.
 */
public final class PluginHost implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PluginHost.class);
  /** The engine every plugin shares; loaded once, by the host. */
  public static final String ENGINE = "PyTorch";

  private final BevtPluginManager manager;
  private final PluginHostOptions options;
  private boolean closed;

  private PluginHost(BevtPluginManager manager, PluginHostOptions options) {
    this.manager = manager;
    this.options = options;
  }

  /** Loads and starts the plugins of {@code options.pluginsDir()}. */
  public static PluginHost start(PluginHostOptions options) {
    Path dir = options.pluginsDir().toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      log.warn("Plugins folder {} does not exist; no plugins are loaded", dir);
    } else if (options.mode() == RuntimeMode.DEPLOYMENT) {
      checkWritable(dir);
    }
    BevtPluginManager manager = new BevtPluginManager(dir, options.mode(), BevtVersion.framework());
    manager.loadPlugins();
    if (options.initEngine()) {
      initEngine();
    }
    manager.startPlugins();
    PluginHost host = new PluginHost(manager, options);
    for (PluginInfo p : host.plugins()) {
      if (p.error() != null) {
        log.warn("Plugin '{}' is not available: {}", p.id(), p.error());
      }
    }
    return host;
  }

  /** PF4J expands zips next to themselves: the folder must be writable when a zip is new or newer. */
  static void checkWritable(Path dir) {
    List<String> pending = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path zip : files.filter(FileUtils::isZipFile).sorted().toList()) {
        String name = zip.getFileName().toString();
        Path target = zip.resolveSibling(name.substring(0, name.lastIndexOf('.')));
        if (!Files.isDirectory(target) || Files.getLastModifiedTime(zip).compareTo(Files.getLastModifiedTime(target)) > 0) {
          pending.add(name);
        }
      }
    } catch (IOException e) {
      throw new BevtPluginException("cannot read the plugins folder " + dir + ": " + e.getMessage(), e);
    }
    if (!pending.isEmpty() && !Files.isWritable(dir)) {
      throw new BevtPluginException(
          "the plugins folder "
              + dir
              + " is not writable, but the plugin zips "
              + pending
              + " must be expanded next to themselves before they can be loaded; make the folder writable, or copy"
              + " it to a writable place and point bevt.plugins.dir (--set bevt.plugins.dir=DIR) at the copy");
    }
  }

  /** Loads the PyTorch engine (and its native library) in the host class loader. */
  public static void initEngine() {
    try {
      ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine(ENGINE);
      log.debug("Engine {} {} ready", engine.getEngineName(), engine.getVersion());
    } catch (RuntimeException | LinkageError e) {
      throw new BevtException(
          "the PyTorch engine could not be initialised ("
              + GuiceExtensionFactory.describe(e)
              + "); the CPU distribution ships ai.djl.pytorch:pytorch-native-cpu in lib/ — elsewhere put it on the class"
              + " path, point PYTORCH_LIBRARY_PATH at a libtorch 2.7.1, or let DJL download it (-Dai.djl.offline=false)",
          e);
    }
  }

  public BevtPluginManager manager() {
    return manager;
  }

  public PluginHostOptions options() {
    return options;
  }

  public Path pluginsDir() {
    return manager.pluginsDir();
  }

  /** Every loaded plugin, started or not, sorted by id. */
  public List<PluginInfo> plugins() {
    return manager.getPlugins().stream()
        .map(w -> PluginInfo.of(w, manager.invalidReason(w.getPluginId())))
        .sorted(Comparator.comparing(PluginInfo::id))
        .toList();
  }

  /** The started plugins, sorted by id. */
  public List<PluginWrapper> started() {
    return manager.getStartedPlugins().stream().sorted(Comparator.comparing(PluginWrapper::getPluginId)).toList();
  }

  /** Plugins found but refused or not loadable. */
  public List<RejectedPlugin> rejected() {
    return manager.rejected();
  }

  /** One line per plugin that is not available (refused, failed, disabled); empty when all started. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    for (RejectedPlugin r : rejected()) {
      out.add(r.label() + ": " + r.reason());
    }
    for (PluginInfo p : plugins()) {
      if (p.error() != null) {
        out.add(p.id() + ": " + p.error());
      }
    }
    return out;
  }

  /** Stops and unloads the plugins. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    manager.stopPlugins();
    try {
      manager.unloadPlugins();
    } catch (RuntimeException e) {
      log.warn("Unloading plugins failed: {}", e.toString());
    }
  }
}
