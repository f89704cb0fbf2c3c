package org.bevt4j.core.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds host libraries bundled inside an (expanded) plugin: a jar under {@code lib/} (or
 * {@code target/lib/} in development mode), or a classes folder, that carries classes of a package
 * the host owns ({@link BevtPluginClassLoader#HOST_PACKAGES}: DJL, bevt4j-api, PF4J, Guice,
 * Typesafe Config, SLF4J) or the DJL/PyTorch native libraries.
 *
 * <p>Such a plugin is refused: with the delegation rule its copy would be silently shadowed at best,
 * and at worst a second copy of the PyTorch JNI library or of the extension points would be loaded.
 * The content is inspected rather than the file name, so a renamed jar is caught too.
 */
public final class HostLibraryCheck {
  private static final List<String> JAR_DIRS = List.of("lib", "target/lib");
  private static final List<String> CLASS_DIRS = List.of("classes", "target/classes");
  private static final List<String> NATIVE_MARKERS =
      List.of("jnilib/pytorch.properties", "native/lib/pytorch.properties", "META-INF/native-image/ai/djl/");

  private HostLibraryCheck() {}

  /** One bundled host library: the file relative to the plugin folder and what it contains. */
  public record Violation(String file, String content) {
    @Override
    public String toString() {
      return file + " (" + content + ")";
    }
  }

  /** The violations found in an expanded plugin folder (empty when it bundles no host library). */
  public static List<Violation> scan(Path pluginDir) throws IOException {
    List<Violation> out = new ArrayList<>();
    if (!Files.isDirectory(pluginDir)) {
      return out;
    }
    for (String dir : JAR_DIRS) {
      Path libDir = pluginDir.resolve(dir);
      if (!Files.isDirectory(libDir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(libDir)) {
        for (Path jar : files.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".jar")).sorted().toList()) {
          inspectJar(jar).ifPresent(c -> out.add(new Violation(pluginDir.relativize(jar).toString(), c)));
        }
      }
    }
    for (String dir : CLASS_DIRS) {
      Path classes = pluginDir.resolve(dir);
      for (String prefix : BevtPluginClassLoader.HOST_PACKAGES) {
        Path pkg = classes.resolve(prefix.replace('.', '/'));
        if (!Files.isDirectory(pkg) || prefix.equals("org.pf4j.") && !hasNonTestPf4j(classes)) {
          continue;
        }
        out.add(new Violation(pluginDir.relativize(pkg).toString(), prefix + "* classes"));
      }
    }
    return out;
  }

  private static boolean hasNonTestPf4j(Path classes) throws IOException {
    try (Stream<Path> s = Files.list(classes.resolve("org/pf4j"))) {
      return s.anyMatch(p -> !p.getFileName().toString().equals("test"));
    }
  }

  /** What host content a jar carries, if any (e.g. {@code "ai.djl.* classes"}). */
  static Optional<String> inspectJar(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        String name = entries.nextElement().getName();
        for (String marker : NATIVE_MARKERS) {
          if (name.startsWith(marker)) {
            return Optional.of("DJL/PyTorch native library");
          }
        }
        if (name.endsWith(".class")) {
          String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
          if (BevtPluginClassLoader.isHostClass(className)) {
            return Optional.of(hostPrefix(className) + "* classes");
          }
        }
      }
    } catch (java.util.zip.ZipException e) {
      throw new IOException("cannot read " + jar + ": " + e.getMessage(), e);
    }
    return Optional.empty();
  }

  private static String hostPrefix(String className) {
    for (String prefix : BevtPluginClassLoader.HOST_PACKAGES) {
      if (className.startsWith(prefix)) {
        return prefix;
      }
    }
    return className;
  }
}
