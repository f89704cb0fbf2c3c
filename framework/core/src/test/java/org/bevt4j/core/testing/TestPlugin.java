package org.bevt4j.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds a real PF4J plugin at test time: compiles Java sources against the test class path with
 * the PF4J annotation processor (which writes {@code META-INF/extensions.idx}), jars the classes and
 * resources, and lays it out as a deployment zip ({@code plugin.properties} + {@code lib/*.jar}) or
 * as a development-mode module folder ({@code plugin.properties} + {@code target/classes}).
 *
 * <p>The classes never reach the test class path, so they are loaded only by the plugin's loader.
 */
public final class TestPlugin {
  private final String id;
  private String version = "1.0.0";
  private String requires = "";
  private String pluginClass;
  private String dependencies;
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final Map<String, String> resources = new LinkedHashMap<>();
  private final Map<String, Map<String, byte[]>> extraJars = new LinkedHashMap<>();

  private TestPlugin(String id) {
    this.id = id;
  }

  public static TestPlugin id(String id) {
    return new TestPlugin(id);
  }

  public String pluginId() {
    return id;
  }

  public TestPlugin version(String v) {
    this.version = v;
    return this;
  }

  public TestPlugin requires(String r) {
    this.requires = r;
    return this;
  }

  public TestPlugin dependencies(String deps) {
    this.dependencies = deps;
    return this;
  }

  /** A {@code org.pf4j.Plugin} subclass to use as {@code plugin.class}. */
  public TestPlugin pluginClass(String fqcn) {
    this.pluginClass = fqcn;
    return this;
  }

  /** A Java source for the class {@code fqcn}. */
  public TestPlugin source(String fqcn, String code) {
    sources.put(fqcn, code);
    return this;
  }

  /** A resource in the plugin jar (e.g. {@code reference.conf}). */
  public TestPlugin resource(String path, String content) {
    resources.put(path, content);
    return this;
  }

  /** An extra jar in {@code lib/} with the given entries. */
  public TestPlugin libJar(String fileName, Map<String, byte[]> entries) {
    extraJars.put(fileName, entries);
    return this;
  }

  /** Writes {@code <dir>/<id>-<version>.zip} and returns it. */
  public Path zipInto(Path pluginsDir) {
    try {
      Files.createDirectories(pluginsDir);
      Path zip = pluginsDir.resolve(id + "-" + version + ".zip");
      Map<String, byte[]> entries = new LinkedHashMap<>();
      entries.put("plugin.properties", properties().getBytes(StandardCharsets.UTF_8));
      entries.put("lib/" + id + "-" + version + ".jar", jar(classesAndResources()));
      for (Map.Entry<String, Map<String, byte[]>> j : extraJars.entrySet()) {
        entries.put("lib/" + j.getKey(), jar(j.getValue()));
      }
      Files.write(zip, jar(entries));
      return zip;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a development-mode module {@code <root>/<id>/} and returns it. */
  public Path moduleInto(Path pluginsRoot) {
    try {
      Path module = pluginsRoot.resolve(id);
      Path classes = module.resolve("target/classes");
      Files.createDirectories(classes);
      Files.writeString(module.resolve("plugin.properties"), properties());
      for (Map.Entry<String, byte[]> e : classesAndResources().entrySet()) {
        Path f = classes.resolve(e.getKey());
        Files.createDirectories(f.getParent());
        Files.write(f, e.getValue());
      }
      return module;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String properties() {
    StringBuilder sb = new StringBuilder();
    sb.append("plugin.id=").append(id).append('\n');
    sb.append("plugin.version=").append(version).append('\n');
    sb.append("plugin.provider=bevt4j tests\n");
    sb.append("plugin.description=test plugin ").append(id).append('\n');
    if (!requires.isEmpty()) {
      sb.append("plugin.requires=").append(requires).append('\n');
    }
    if (pluginClass != null) {
      sb.append("plugin.class=").append(pluginClass).append('\n');
    }
    if (dependencies != null) {
      sb.append("plugin.dependencies=").append(dependencies).append('\n');
    }
    return sb.toString();
  }

  private Map<String, byte[]> classesAndResources() throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (!sources.isEmpty()) {
      Path classes = Files.createTempDirectory("bevt4j-test-plugin-" + id);
      compile(classes);
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          out.put(classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
        }
      }
    }
    for (Map.Entry<String, String> r : resources.entrySet()) {
      out.put(r.getKey(), r.getValue().getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  private void compile(Path out) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no system Java compiler (run the tests on a JDK)");
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<JavaFileObject> units = new ArrayList<>();
    for (Map.Entry<String, String> s : sources.entrySet()) {
      units.add(new Source(s.getKey(), s.getValue()));
    }
    List<String> options =
        List.of(
            "--release", "17",
            "-classpath", testClassPath(),
            "-d", out.toString(),
            "-proc:full",
            "-processor", "org.pf4j.processor.ExtensionAnnotationProcessor");
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      boolean ok = javac.getTask(null, fm, diagnostics, options, null, units).call();
      if (!ok) {
        StringBuilder sb = new StringBuilder("test plugin " + id + " does not compile:");
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
          sb.append('\n').append(d);
        }
        throw new IllegalStateException(sb.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The real test class path (surefire may hide it behind a manifest-only jar). */
  static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  /** Zip/jar bytes holding the given entries. */
  public static byte[] jar(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** Writes a jar file. */
  public static Path writeJar(Path file, Map<String, byte[]> entries) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream o = Files.newOutputStream(file)) {
      o.write(jar(entries));
    }
    return file;
  }

  private static final class Source extends SimpleJavaFileObject {
    private final String code;

    Source(String fqcn, String code) {
      super(URI.create("string:///" + fqcn.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }
}
