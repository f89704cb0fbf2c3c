package org.bevt4j.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The plugin zips the build copied for the tests ({@code -Dbevt4j.plugin.zips}, see this module's pom). */
final class PluginZips {
  private PluginZips() {}

  static Path dir() {
    String d = System.getProperty("bevt4j.plugin.zips");
    if (d == null || !Files.isDirectory(Path.of(d))) {
      throw new IllegalStateException(
          "plugin zips folder " + d + " is missing: run the tests through Maven (mvn -pl samples/verify -am verify), which"
              + " packages the plugins and copies their zips there");
    }
    return Path.of(d);
  }

  static List<Path> all() {
    try (Stream<Path> s = Files.list(dir())) {
      return s.filter(p -> p.getFileName().toString().endsWith(".zip")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sample plugin's zip. */
  static Path sample() {
    return all().stream()
        .filter(p -> p.getFileName().toString().startsWith("vit-lite-plugin-"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no vit-lite-plugin-*.zip in " + dir()));
  }

  /** A fresh, writable plugins folder holding every zip (PF4J expands zips next to themselves). */
  static Path copyAll(Path target) throws IOException {
    Files.createDirectories(target);
    for (Path z : all()) {
      Files.copy(z, target.resolve(z.getFileName()));
    }
    return target;
  }
}
