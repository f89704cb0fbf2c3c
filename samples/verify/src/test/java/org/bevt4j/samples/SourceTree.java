package org.bevt4j.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.bevt4j.core.plugin.PluginHostOptions;

/** Paths of the bevt4j source tree the tests read (configs, docs, reference.conf files). */
final class SourceTree {
  private SourceTree() {}

  /**
   * The repository root: {@code -Dbevt4j.source.root} (set by surefire to Maven's top directory),
   * else the source tree holding the working directory.
   */
  static Path root() {
    String p = System.getProperty("bevt4j.source.root");
    Path root = p != null && !p.isBlank() ? Path.of(p) : null;
    if (root == null || !Files.isDirectory(root.resolve("samples/configs"))) {
      root = PluginHostOptions.findSourceRoot(Path.of(""));
    }
    if (root == null || !Files.isDirectory(root.resolve("samples/configs"))) {
      throw new IllegalStateException("cannot locate the bevt4j source tree (samples/configs) from " + Path.of("").toAbsolutePath());
    }
    return root.toAbsolutePath().normalize();
  }

  /** Every {@code samples/configs/*.conf}, sorted. */
  static List<Path> sampleConfigs() {
    try (Stream<Path> s = Files.list(root().resolve("samples/configs"))) {
      return s.filter(f -> f.getFileName().toString().endsWith(".conf")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A plugin module: its folder, its id and its reference.conf (null when it has none). */
  record PluginModule(Path dir, String id, Path reference) {}

  /** The bundled plugin modules ({@code plugins/<dir>} with a plugin.properties), sorted by folder. */
  static List<PluginModule> bundledPlugins() {
    List<PluginModule> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root().resolve("plugins"))) {
      for (Path dir : s.filter(d -> Files.isRegularFile(d.resolve("plugin.properties"))).sorted().toList()) {
        out.add(module(dir));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The sample plugin module. */
  static PluginModule samplePlugin() {
    return module(root().resolve("samples/plugin-example"));
  }

  private static PluginModule module(Path dir) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(dir.resolve("plugin.properties"))) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path ref = dir.resolve("src/main/resources/reference.conf");
    return new PluginModule(dir, p.getProperty("plugin.id"), Files.isRegularFile(ref) ? ref : null);
  }

  static String relative(Path p) {
    return root().relativize(p.toAbsolutePath().normalize()).toString();
  }
}
