package org.bevt4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.BevtPluginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the configuration in the documented order: core {@code reference.conf} → each started
 * plugin's {@code reference.conf} (read through that plugin's own class loader, so it never picks
 * up another copy) → the distribution's {@code conf/application.conf} → the user file
 * ({@code --config}) → {@code --set} overrides → {@code bevt.*} system properties → resolve.
 *
 * <p>Core defaults win over a plugin's: a plugin owns only its own subtree, and a plugin
 * {@code reference.conf} that redefines someone else's key is logged and ignored.
 */
public final class ConfigLoader {
  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
  /** Every reference origin's description contains this. */
  static final String REFERENCE_MARKER = "reference.conf";

  private ConfigLoader() {}

  /** Core's own {@code reference.conf} (unresolved), whatever else is on the class path. */
  public static Config coreReference() {
    URL marker = ConfigLoader.class.getResource("/org/bevt4j/core/version.properties");
    if (marker == null) {
      throw new IllegalStateException("bevt4j-core resources are missing from the class path");
    }
    String m = marker.toExternalForm();
    try {
      URL ref = new URL(m.substring(0, m.length() - "org/bevt4j/core/version.properties".length()) + "reference.conf");
      return parseReference(ref, "reference.conf");
    } catch (MalformedURLException e) {
      throw new IllegalStateException("cannot locate core reference.conf next to " + m, e);
    }
  }

  /**
   * A plugin's own {@code reference.conf} (unresolved; empty when it has none), found with
   * {@code findResource} so that neither the host's nor another library's file is read instead.
   */
  public static Config pluginReference(String pluginId, ClassLoader pluginLoader) {
    URL url = pluginLoader instanceof URLClassLoader u ? u.findResource(REFERENCE_MARKER) : null;
    return url == null ? ConfigFactory.empty() : parseReference(url, "plugin " + pluginId + " " + REFERENCE_MARKER);
  }

  private static Config parseReference(URL url, String description) {
    try {
      return ConfigFactory.parseURL(
          url, ConfigParseOptions.defaults().setOriginDescription(description).setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
    } catch (ConfigException e) {
      throw new BevtPluginException("cannot read " + description + ": " + e.getMessage(), e);
    }
  }

  /**
   * Merges core's reference with the plugins' (given in order, keyed by plugin id); conflicting keys
   * are logged and the earlier definition kept.
   */
  public static Config mergeReferences(Config core, Map<String, Config> plugins) {
    Config merged = core;
    for (Map.Entry<String, Config> e : plugins.entrySet()) {
      for (ConfigTree.Leaf leaf : ConfigTree.leaves(e.getValue().root())) {
        if (merged.hasPathOrNull(leaf.path())) {
          log.warn(
              "plugin {}'s reference.conf sets {} ({}), already defined by {}; the plugin's value is ignored",
              e.getKey(),
              leaf.path(),
              Origins.describe(leaf.value()),
              Origins.describe(merged.getValue(leaf.path())));
        }
      }
      merged = merged.withFallback(e.getValue());
    }
    return merged;
  }

  /** The user layers (application.conf, file, --set, system properties), unresolved. */
  public static Config userLayers(ConfigRequest request) {
    Config out = ConfigFactory.empty();
    if (request.applicationConf() != null && Files.isRegularFile(request.applicationConf())) {
      out = parseFile(request.applicationConf()).withFallback(out);
    }
    if (request.configFile() != null) {
      Path f = request.configFile();
      if (!Files.isRegularFile(f)) {
        throw new BevtConfigException("--config", null, "file not found: " + f.toAbsolutePath().normalize(), null);
      }
      out = parseFile(f).withFallback(out);
    }
    out = Overrides.parseSets(request.sets()).withFallback(out);
    if (request.systemProperties() != null) {
      out = Overrides.systemProperties(request.systemProperties()).withFallback(out);
    }
    return out;
  }

  private static Config parseFile(Path f) {
    try {
      return ConfigFactory.parseFile(f.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw ConfigErrors.from(e);
    }
  }

  /** Loads, merges and resolves everything; no validation (see {@link ConfigValidator}). */
  public static LoadedConfig load(ConfigRequest request, Map<String, Config> pluginReferences) {
    Config reference = mergeReferences(coreReference(), pluginReferences);
    Config user = userLayers(request);
    Config resolved;
    Config resolvedReference;
    try {
      resolvedReference = reference.resolve();
    } catch (ConfigException e) {
      throw ConfigErrors.from(e);
    }
    try {
      resolved = user.withFallback(reference).resolve();
    } catch (ConfigException e) {
      throw ConfigErrors.from(e);
    }
    return new LoadedConfig(resolved, resolvedReference, request, new ArrayList<>(pluginReferences.keySet()));
  }

  /**
   * The configuration without plugin references, resolved as far as possible: enough to read
   * {@code bevt.plugins.dir} before the plugins are loaded.
   */
  public static Config preliminary(ConfigRequest request) {
    try {
      return userLayers(request)
          .withFallback(coreReference())
          .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
    } catch (ConfigException e) {
      throw ConfigErrors.from(e);
    }
  }

  /** Convenience for tests and tools: defaults plus the given plugin references, no user input. */
  public static LoadedConfig defaults(Map<String, Config> pluginReferences) {
    return load(ConfigRequest.defaults(), pluginReferences);
  }
}
