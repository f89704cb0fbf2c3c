package org.bevt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.bevt4j.core.plugin.BevtPluginClassLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the assembled distribution ({@code target/bevt4j-<version>/}, built in the package phase)
 * and the plugin zips bundled in it, and runs {@code bin/bevt4j} as a user would.
 */
class DistributionIT {
  private static Path dist;

  @BeforeAll
  static void locate() {
    String d = System.getProperty("bevt4j.dist.dir");
    assertThat(d).as("system property bevt4j.dist.dir (set by the failsafe configuration)").isNotNull();
    dist = Path.of(d);
    assertThat(dist).isDirectory();
  }

  private static List<Path> pluginZips() throws IOException {
    try (Stream<Path> s = Files.list(dist.resolve("plugins"))) {
      return s.filter(p -> p.toString().endsWith(".zip")).sorted().toList();
    }
  }

  @Test
  void layoutHasBinLibPluginsConf() throws IOException {
    Path bin = dist.resolve("bin/bevt4j");
    assertThat(bin).isRegularFile();
    assertThat(Files.isExecutable(bin)).isTrue();
    assertThat(dist.resolve("conf/logback.xml")).isRegularFile();
    assertThat(dist.resolve("conf/application.conf")).isRegularFile();
    try (Stream<Path> s = Files.list(dist.resolve("lib"))) {
      List<String> jars = s.map(p -> p.getFileName().toString()).toList();
      assertThat(jars).anyMatch(j -> j.startsWith("bevt4j-cli-"));
      assertThat(jars).anyMatch(j -> j.startsWith("bevt4j-core-"));
      assertThat(jars).anyMatch(j -> j.startsWith("bevt4j-api-"));
      assertThat(jars).anyMatch(j -> j.startsWith("pytorch-native-cpu-"));
      assertThat(jars).anyMatch(j -> j.startsWith("pf4j-"));
      assertThat(jars).noneMatch(j -> j.endsWith(".zip"));
    }
    assertThat(pluginZips()).extracting(p -> p.getFileName().toString())
        .contains(
            "bevt4j-plugin-video-swin-" + baseVersion() + ".zip",
            "bevt4j-plugin-timesformer-" + baseVersion() + ".zip",
            "bevt4j-plugin-tokenizer-dalle-" + baseVersion() + ".zip",
            "bevt4j-plugin-tokenizer-peco-" + baseVersion() + ".zip");
  }

  private static String baseVersion() {
    String name = dist.getFileName().toString();
    return name.substring("bevt4j-".length());
  }

  /**
   * Every bundled plugin zip: plugin.properties at the root (id, version, requires), lib/ with the
   * plugin jar, every {@code @Extension} class of that jar listed in its META-INF/extensions.idx, and
   * no host library anywhere in lib/.
   */
  @Test
  void everyPluginZipIsWellFormed() throws IOException {
    List<Path> zips = pluginZips();
    assertThat(zips).isNotEmpty();
    for (Path zip : zips) {
      try (ZipFile z = new ZipFile(zip.toFile())) {
        ZipEntry props = z.getEntry("plugin.properties");
        assertThat(props).as(zip + ": plugin.properties at the root").isNotNull();
        Properties p = new Properties();
        try (InputStream in = z.getInputStream(props)) {
          p.load(in);
        }
        assertThat(p.getProperty("plugin.id")).as(zip + ": plugin.id").isNotBlank();
        assertThat(p.getProperty("plugin.version")).as(zip + ": plugin.version").isNotBlank();
        assertThat(p.getProperty("plugin.requires")).as(zip + ": plugin.requires").isNotBlank();
        List<String> jars = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
          String name = e.nextElement().getName();
          if (name.startsWith("lib/") && name.endsWith(".jar")) {
            jars.add(name);
          }
        }
        String pluginJarPrefix = "lib/" + zip.getFileName().toString().replace(".zip", "");
        assertThat(jars).as(zip + ": the plugin jar in lib/").anyMatch(j -> j.startsWith(pluginJarPrefix));
        for (String jar : jars) {
          byte[] bytes = z.getInputStream(z.getEntry(jar)).readAllBytes();
          checkJar(zip + "!/" + jar, bytes, jar.startsWith(pluginJarPrefix));
        }
      }
    }
  }

  private static void checkJar(String where, byte[] jar, boolean isPluginJar) throws IOException {
    Set<String> indexed = new HashSet<>();
    Set<String> annotated = new HashSet<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        String name = e.getName();
        byte[] content = in.readAllBytes();
        if (name.endsWith(".class")) {
          String cls = name.substring(0, name.length() - 6).replace('/', '.');
          assertThat(BevtPluginClassLoader.isHostClass(cls)).as(where + " bundles host class " + cls).isFalse();
          // the class file's constant pool names the annotation when the class is an @Extension
          if (new String(content, StandardCharsets.ISO_8859_1).contains("Lorg/pf4j/Extension;")) {
            annotated.add(cls);
          }
        } else if (name.equals("META-INF/extensions.idx")) {
          for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
              indexed.add(line.trim());
            }
          }
        }
        assertThat(name).as(where + " bundles the DJL/PyTorch natives").doesNotStartWith("jnilib/").doesNotStartWith("native/lib/");
      }
    }
    if (isPluginJar) {
      assertThat(indexed)
          .as(where + ": every @Extension must be in META-INF/extensions.idx (is the PF4J annotation processor on?)")
          .containsAll(annotated);
    }
  }

  private record Result(int code, String out, String err) {}

  private static Result launch(String... args) throws Exception {
    return launch(java.util.Map.of(), args);
  }

  private static Result launch(java.util.Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(dist.resolve("bin/bevt4j").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dist.toFile());
    pb.environment().putAll(env);
    Path out = Files.createTempFile("bevt4j-it", ".out");
    Path err = Files.createTempFile("bevt4j-it", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("bin/bevt4j " + String.join(" ", args) + " finished").isTrue();
    Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }

  @Test
  void launcherPrintsTheVersion() throws Exception {
    Result r = launch("--version");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("bevt4j " + baseVersion());
  }

  @Test
  void launcherMallocSettingIsCheckedAndCanBeTurnedOff() throws Exception {
    Result bad = launch(java.util.Map.of("BEVT4J_MALLOC", "jemalloc"), "--version");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("BEVT4J_MALLOC='jemalloc' is unknown").contains("reuse or default");
    for (String mode : List.of("reuse", "default")) {
      Result r = launch(java.util.Map.of("BEVT4J_MALLOC", mode), "--version");
      assertThat(r.code()).as(mode + ": " + r.err()).isZero();
    }
  }

  @Test
  void launcherListsEveryBundledPluginStartedInDeploymentMode() throws Exception {
    Result r = launch("plugins", "--json");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    JsonObject root = JsonParser.parseString(r.out()).getAsJsonObject();
    assertThat(root.get("mode").getAsString()).isEqualTo("deployment");
    assertThat(Path.of(root.get("pluginsDir").getAsString())).isEqualTo(dist.resolve("plugins").toRealPath());
    JsonArray plugins = root.getAsJsonArray("plugins");
    Set<String> ids = new HashSet<>();
    for (JsonElement e : plugins) {
      JsonObject o = e.getAsJsonObject();
      ids.add(o.get("id").getAsString());
      assertThat(o.get("state").getAsString()).as(o.toString()).isEqualTo("STARTED");
    }
    assertThat(ids).contains("video-swin", "timesformer", "tokenizer-dalle", "tokenizer-peco");
    assertThat(root.getAsJsonArray("rejected")).isEmpty();
    assertThat(root.getAsJsonArray("extensionFailures")).isEmpty();
  }

  @Test
  void launcherReportsConfigErrorsWithExitCode2() throws Exception {
    Result ok = launch("config", "show", "--set", "bevt.train.seed=5");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("seed=5");
    Result bad = launch("config", "show", "--set", "bevt.train.sed=5");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("did you mean \"bevt.train.seed\"").doesNotContain("\tat ");
  }

  @Test
  void finetuneSampleRunsWithTheBundledVideoSwin() throws Exception {
    Path run = Files.createTempDirectory("bevt4j-it-finetune").resolve("ft");
    Result r = launch("finetune", "--config", "samples/tiny-finetune.conf", "--run-dir", run.toString(),
        "--set", "bevt.finetune.steps=2", "--set", "bevt.finetune.schedule.warmup-steps=1", "--set", "bevt.finetune.train-data.batch-size=2",
        "--set", "bevt.finetune.val-data.synthetic.size=11", "--set", "bevt.finetune.test.crops=1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("fine-tuning completed after 2 steps").contains("| val top-1").contains("11 x 1");
    assertThat(run.resolve("finetune.json")).isRegularFile();
    assertThat(run.resolve("plots/confusion.png")).isRegularFile();
    assertThat(run.resolve("checkpoints/step-2/model.safetensors")).isRegularFile();
  }
}
