package org.bevt4j.core;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.core.config.ConfigLoader;
import org.bevt4j.core.config.ConfigRequest;
import org.bevt4j.core.config.Origins;
import org.bevt4j.core.plugin.PluginHostOptions;
import org.pf4j.RuntimeMode;

/**
 * Decides where plugins are loaded from, before the plugins (and so the full configuration) exist:
 * an explicit folder wins; then a {@code bevt.plugins.dir} the user set (relative to the config
 * file that set it, or to the working directory for {@code --set}/{@code -D}); otherwise the
 * detected default ({@code <home>/plugins} in the distribution, the repository's {@code plugins/}
 * in the source tree).
 */
final class PluginLocation {
  private PluginLocation() {}

  static PluginHostOptions options(ConfigRequest request, Path explicitDir, RuntimeMode explicitMode, Path home) {
    RuntimeMode mode = explicitMode != null ? explicitMode : PluginHostOptions.detectMode(home);
    Path dir = explicitDir != null ? explicitDir : fromConfig(request, PluginHostOptions.defaultPluginsDir(mode, home));
    return new PluginHostOptions(dir.toAbsolutePath().normalize(), mode, true);
  }

  private static Path fromConfig(ConfigRequest request, Path defaultDir) {
    Config pre = ConfigLoader.preliminary(request);
    String key = "bevt.plugins.dir";
    if (!pre.hasPathOrNull(key)) {
      return defaultDir;
    }
    ConfigValue v = pre.getValue(key);
    if (Origins.isReference(v.origin())) {
      return defaultDir;
    }
    String value;
    try {
      value = pre.getString(key);
    } catch (ConfigException e) {
      throw new BevtConfigException(key, Origins.describe(v), "expected a folder path, found " + v.render(), null);
    }
    Path p = Path.of(value);
    if (p.isAbsolute()) {
      return p;
    }
    String file = v.origin().filename();
    Path base = file != null ? Path.of(file).toAbsolutePath().getParent() : request.workDir();
    return base.resolve(p).normalize();
  }
}
