package org.bevt4j.core.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.bevt4j.core.plugin.ContextClassLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the extensions of one point from the host class path and every started plugin, one
 * plugin and one extension at a time, so that a failure (a missing class, a loader constraint
 * violation from a bundled library, a throwing constructor or {@code name()}) is recorded for that
 * extension only.
 */
public final class ExtensionCollector {
  private static final Logger log = LoggerFactory.getLogger(ExtensionCollector.class);

  private final PluginManager manager;
  private final List<ExtensionFailure> failures = new ArrayList<>();

  public ExtensionCollector(PluginManager manager) {
    this.manager = manager;
  }

  /** The failures recorded so far. */
  public List<ExtensionFailure> failures() {
    return failures;
  }

  /** The owners searched: the host, then the started plugins sorted by id. */
  public List<String> owners() {
    List<String> owners = new ArrayList<>();
    owners.add(null);
    manager.getStartedPlugins().stream().map(PluginWrapper::getPluginId).sorted().forEach(owners::add);
    return owners;
  }

  /** Every extension of {@code type}, named by {@code namer} (called with the plugin's loader as TCCL). */
  public <T> List<ExtensionRegistry.Entry<T>> collect(Class<T> type, String point, Function<T, String> namer) {
    List<ExtensionRegistry.Entry<T>> out = new ArrayList<>();
    for (String pluginId : owners()) {
      String owner = pluginId == null ? ExtensionRegistry.HOST : pluginId;
      List<Class<? extends T>> classes;
      try {
        classes = manager.getExtensionClasses(type, pluginId);
      } catch (RuntimeException | LinkageError e) {
        fail(owner, point, null, e);
        continue;
      }
      for (Class<? extends T> cls : classes) {
        try {
          T ext = manager.getExtensionFactory().create(cls);
          String name;
          try (ContextClassLoader ignored = ContextClassLoader.of(ext)) {
            name = namer.apply(ext);
          }
          if (name == null || name.isBlank()) {
            throw new IllegalStateException("name() returned " + (name == null ? "null" : "an empty name"));
          }
          out.add(new ExtensionRegistry.Entry<>(name, ext, owner));
        } catch (RuntimeException | LinkageError e) {
          fail(owner, point, cls.getName(), e);
        }
      }
    }
    return out;
  }

  private void fail(String owner, String point, String className, Throwable e) {
    String message = rootMessage(e);
    log.error("Extension {} of {} ({}) is not available: {}", className == null ? "index" : className, owner, point, message);
    log.debug("Extension failure detail", e);
    failures.add(new ExtensionFailure(owner, point, className, message, e));
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String root = t.getClass().getSimpleName() + ": " + t.getMessage();
    return t == e ? root : root + " (" + e.getClass().getSimpleName() + ")";
  }
}
