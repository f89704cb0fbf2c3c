package org.bevt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.bevt4j.core.plugin.BevtPluginClassLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a third-party plugin author does with the sample plugin, end to end: drop its zip into the
 * {@code plugins/} folder of an installed distribution, list it with {@code bin/bevt4j plugins}, and
 * pretrain with it through {@code bin/bevt4j pretrain} (two optimizer steps: one image-stage step,
 * one joint step initialised by inflation). The installation is a copy of the assembled
 * distribution ({@code framework/cli/target/bevt4j-<version>/}; {@code lib/} is linked, not copied).
 */
class SamplePluginDistributionIT {
  @TempDir static Path tmp;
  private static Path home;

  @BeforeAll
  static void install() throws IOException {
    String d = System.getProperty("bevt4j.dist.dir");
    assertThat(d).as("system property bevt4j.dist.dir (set by this module's failsafe configuration)").isNotNull();
    Path dist = Path.of(d);
    assertThat(dist.resolve("bin/bevt4j"))
        .as("the assembled distribution (run through Maven: mvn -pl samples/verify -am verify)")
        .isRegularFile();
    home = tmp.resolve("bevt4j-home");
    Files.createDirectories(home.resolve("bin"));
    Files.copy(dist.resolve("bin/bevt4j"), home.resolve("bin/bevt4j"));
    home.resolve("bin/bevt4j").toFile().setExecutable(true);
    copyTree(dist.resolve("conf"), home.resolve("conf"));
    Files.createSymbolicLink(home.resolve("lib"), dist.resolve("lib").toAbsolutePath());
    Path plugins = Files.createDirectories(home.resolve("plugins"));
    try (Stream<Path> s = Files.list(dist.resolve("plugins"))) {
      for (Path z : s.filter(p -> p.toString().endsWith(".zip")).toList()) {
        Files.copy(z, plugins.resolve(z.getFileName()));
      }
    }
    // the author's step: drop the zip in
    Files.copy(PluginZips.sample(), plugins.resolve(PluginZips.sample().getFileName()));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  private record Result(int code, String out, String err) {}

  private static Result launch(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(home.resolve("bin/bevt4j").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
    // one libtorch thread, as the other tests on a 2-core box
    Map<String, String> env = pb.environment();
    env.put("BEVT4J_JAVA_OPTS", "-Xmx2g -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1");
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    boolean done = p.waitFor(300, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("bin/bevt4j " + String.join(" ", args) + " finished within 300 s").isTrue();
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void theDroppedInZipHasNoHostLibraries() throws IOException {
    try (ZipFile z = new ZipFile(home.resolve("plugins").resolve(PluginZips.sample().getFileName()).toFile())) {
      List<String> libs = z.stream().map(e -> e.getName()).filter(n -> n.startsWith("lib/") && n.endsWith(".jar")).toList();
      assertThat(libs).isNotEmpty();
      for (String jar : libs) {
        String base = jar.substring("lib/".length());
        assertThat(base)
            .as("sample zip bundles a host library: " + jar)
            .doesNotStartWith("api-")
            .doesNotStartWith("pytorch-")
            .doesNotStartWith("bevt4j-")
            .doesNotStartWith("pf4j-")
            .doesNotStartWith("guice-")
            .doesNotStartWith("config-")
            .doesNotStartWith("slf4j-");
      }
      z.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class"))
          .map(n -> n.substring(0, n.length() - 6).replace('/', '.'))
          .forEach(c -> assertThat(BevtPluginClassLoader.isHostClass(c)).as("host class in the sample zip: " + c).isFalse());
    }
  }

  @Test
  void theDistributionListsTheSamplePluginNextToTheBundledOnes() throws Exception {
    Result r = launch("plugins", "--json");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    JsonObject root = JsonParser.parseString(r.out()).getAsJsonObject();
    assertThat(root.get("mode").getAsString()).isEqualTo("deployment");
    assertThat(Path.of(root.get("pluginsDir").getAsString()).toRealPath()).isEqualTo(home.resolve("plugins").toRealPath());
    List<String> started = new ArrayList<>();
    for (JsonElement e : root.getAsJsonArray("plugins")) {
      JsonObject o = e.getAsJsonObject();
      if (o.get("state").getAsString().equals("STARTED")) {
        started.add(o.get("id").getAsString());
      }
    }
    assertThat(started).contains("vit-lite", "video-swin", "timesformer", "tokenizer-dalle", "tokenizer-peco");
    assertThat(root.getAsJsonArray("rejected")).isEmpty();
    assertThat(root.getAsJsonArray("extensionFailures")).isEmpty();
    assertThat(r.out()).contains("vit-lite-video").contains("vit-lite-image");
  }

  @Test
  void theDistributionPretrainsTwoStepsWithTheSamplePlugin() throws Exception {
    Path run = tmp.resolve("run");
    Path conf = SourceTree.root().resolve("samples/plugin-example/example.conf");
    Result r =
        launch("pretrain", "--config", conf.toString(), "--run-dir", run.toString(),
            "--set", "bevt.train.stages=[{name=image,streams=[image],steps=1},"
                + "{name=joint,streams=[video,image],init=inflate-from-previous,steps=1}]");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(Files.readString(run.resolve("config.resolved.conf"))).contains("vit-lite");
    List<String> records = Files.readAllLines(run.resolve("metrics.jsonl")).stream().filter(l -> !l.isBlank()).toList();
    assertThat(records).as("one metrics record per optimizer step (log-every = 1)").hasSize(2);
    JsonObject last = JsonParser.parseString(records.get(1)).getAsJsonObject();
    assertThat(last.toString()).contains("video").contains("image");
    try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
      assertThat(s.map(p -> p.getFileName().toString())).contains("step-2");
    }
    assertThat(run.resolve("checkpoints/step-2/model.safetensors")).isRegularFile();
  }
}
