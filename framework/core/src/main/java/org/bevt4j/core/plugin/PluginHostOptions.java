package org.bevt4j.core.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.pf4j.RuntimeMode;

/**
 * Where plugins come from and how they are loaded.
 *
 * <p>{@link #detect()} picks the mode the way users expect: the system property {@code pf4j.mode}
 * wins; otherwise a process started from the distribution ({@code -Dbevt4j.home} set by
 * {@code bin/bevt4j}) runs in deployment mode on {@code <home>/plugins}, and a process started
 * inside the source tree (a folder with {@code plugins/pom.xml} and {@code framework/core}) runs in
 * development mode on the repository's {@code plugins/} folder, whose modules are read from
 * {@code target/classes}.
 *
 * @param pluginsDir the plugins folder
 * @param mode development (module folders) or deployment (zips)
 * @param initEngine whether to initialise the PyTorch engine before plugins start (default true)
 */
public record PluginHostOptions(Path pluginsDir, RuntimeMode mode, boolean initEngine) {
  /** The system property naming the distribution's home folder. */
  public static final String HOME_PROPERTY = "bevt4j.home";

  public PluginHostOptions {
    if (pluginsDir == null || mode == null) {
      throw new IllegalArgumentException("pluginsDir and mode are required");
    }
  }

  public PluginHostOptions withPluginsDir(Path dir) {
    return new PluginHostOptions(dir, mode, initEngine);
  }

  public PluginHostOptions withInitEngine(boolean init) {
    return new PluginHostOptions(pluginsDir, mode, init);
  }

  /** Detects the mode and default plugins folder from system properties and the working directory. */
  public static PluginHostOptions detect() {
    Path home = home();
    RuntimeMode mode = detectMode(home);
    return new PluginHostOptions(defaultPluginsDir(mode, home), mode, true);
  }

  /**
   * The default plugins folder: {@code <home>/plugins} (or {@code ./plugins} without a home) in
   * deployment mode; the source tree's {@code plugins/} (or {@code ../plugins}) in development mode.
   */
  public static Path defaultPluginsDir(RuntimeMode mode, Path home) {
    Path cwd = Path.of("").toAbsolutePath();
    if (mode == RuntimeMode.DEVELOPMENT) {
      Path sourceRoot = findSourceRoot(cwd);
      return sourceRoot != null ? sourceRoot.resolve("plugins") : cwd.resolve("../plugins").normalize();
    }
    return (home != null ? home : cwd).resolve("plugins");
  }

  /** {@code -Dpf4j.mode} when given; else development inside a source tree without a home. */
  public static RuntimeMode detectMode(Path home) {
    String explicit = System.getProperty("pf4j.mode");
    if (explicit != null && !explicit.isBlank()) {
      return explicit.trim().toLowerCase(Locale.ROOT).startsWith("dev") ? RuntimeMode.DEVELOPMENT : RuntimeMode.DEPLOYMENT;
    }
    return home == null && findSourceRoot(Path.of("").toAbsolutePath()) != null ? RuntimeMode.DEVELOPMENT : RuntimeMode.DEPLOYMENT;
  }

  /** The distribution's home ({@code -Dbevt4j.home}), or null. */
  public static Path home() {
    String h = System.getProperty(HOME_PROPERTY);
    return h == null || h.isBlank() ? null : Path.of(h).toAbsolutePath().normalize();
  }

  /** The nearest ancestor of {@code dir} that is a bevt4j source tree, or null. */
  public static Path findSourceRoot(Path dir) {
    for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("plugins/pom.xml")) && Files.isRegularFile(p.resolve("framework/core/pom.xml"))) {
        return p;
      }
    }
    return null;
  }
}
