package org.bevt4j.core.plugin;

import java.net.URL;
import java.util.List;
import java.util.Set;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin class loader that always takes the host's copy of the libraries shared with plugins.
 *
 * <p>PF4J loads plugin-first; a plugin bundling its own DJL, API or Guice would otherwise get a
 * second copy of those classes (a second PyTorch engine whose JNI library cannot load, extensions
 * that no longer implement the host's extension points). Classes in {@link #HOST_PACKAGES} are
 * therefore loaded by the parent only, without a fallback to the plugin's own jars. A plugin's
 * extension index is read from the plugin only ({@link #OWN_RESOURCES}).
 */
public class BevtPluginClassLoader extends PluginClassLoader {
  /** Package prefixes owned by the host class loader. */
  public static final List<String> HOST_PACKAGES =
      List.of(
          "org.pf4j.",
          "org.bevt4j.api.",
          "org.bevt4j.nn.",
          "org.bevt4j.io.",
          "ai.djl.",
          "com.google.inject.",
          "jakarta.inject.",
          "com.typesafe.config.",
          "org.slf4j.");

  /**
   * Resources a plugin must have itself. PF4J reads a plugin's extension index with
   * {@code getResourceAsStream}, which falls back to the host: a plugin without an index (no
   * extensions) would otherwise claim every host extension as its own.
   */
  public static final Set<String> OWN_RESOURCES = Set.of("META-INF/extensions.idx");

  public BevtPluginClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
    super(manager, descriptor, parent, ClassLoadingStrategy.PDA);
  }

  @Override
  protected boolean shouldDelegateToParent(String className) {
    return super.shouldDelegateToParent(className) || isHostClass(className);
  }

  @Override
  public URL getResource(String name) {
    return OWN_RESOURCES.contains(name) ? findResource(name) : super.getResource(name);
  }

  /** Whether a class belongs to a package the host owns. */
  public static boolean isHostClass(String className) {
    if (className.startsWith("org.pf4j.test.")) {
      return false; // PF4J's own test helpers may be bundled by a plugin
    }
    for (String prefix : HOST_PACKAGES) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
