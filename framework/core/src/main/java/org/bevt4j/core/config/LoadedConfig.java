package org.bevt4j.core.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;

/**
 * The resolved configuration and what it was built from.
 *
 * @param config the resolved configuration (all layers)
 * @param reference the resolved merged reference (core + plugins): the schema of known keys
 * @param request the user's input (config file, --set, ...)
 * @param pluginIds the plugins whose reference.conf was merged, in merge order
 */
public record LoadedConfig(Config config, Config reference, ConfigRequest request, List<String> pluginIds) {
  public LoadedConfig {
    pluginIds = List.copyOf(pluginIds);
  }

  /** The directory user-supplied relative paths are resolved against. */
  public Path baseDir() {
    return request.baseDir();
  }

  /** The {@code --config} file, or null. */
  public Path configFile() {
    return request.configFile();
  }
}
