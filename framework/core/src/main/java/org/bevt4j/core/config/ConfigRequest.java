package org.bevt4j.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The user's side of the configuration.
 *
 * @param configFile the {@code --config} file (null for none); {@code include} works relative to it
 * @param sets the {@code --set key=value} overrides, in order (later wins)
 * @param systemProperties the system properties whose {@code bevt.*} keys override everything (null:
 *     none)
 * @param applicationConf the distribution's {@code conf/application.conf} (null or missing: none)
 * @param workDir the directory relative paths are resolved against when no config file is given
 */
public record ConfigRequest(Path configFile, List<String> sets, Properties systemProperties, Path applicationConf, Path workDir) {
  public ConfigRequest {
    sets = sets == null ? List.of() : List.copyOf(sets);
    workDir = (workDir == null ? Path.of("") : workDir).toAbsolutePath().normalize();
  }

  /** Nothing but the defaults. */
  public static ConfigRequest defaults() {
    return new ConfigRequest(null, List.of(), null, null, null);
  }

  /** The directory user-supplied relative paths are resolved against. */
  public Path baseDir() {
    if (configFile != null) {
      Path parent = configFile.toAbsolutePath().normalize().getParent();
      if (parent != null) {
        return parent;
      }
    }
    return workDir;
  }
}
