package org.bevt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.core.testing.PluginSources;
import org.bevt4j.core.testing.TestPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI in-process: output and exit codes (0 ok, 1 internal, 2 usage/config, 3 plugin). */
class CliTest {
  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  private Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Runs with the plugins folder fixed (no detection of the source tree). */
  private Run runWithPlugins(Path plugins, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--plugins-dir=" + plugins);
    all.add("--plugin-mode=deployment");
    return run(all.toArray(String[]::new));
  }

  private static void maskerPlugin(Path dir, String id, String masker) {
    String pkg = "cli." + id.replace('-', '_');
    TestPlugin.id(id).source(pkg + ".M", PluginSources.maskerFactory(pkg, "M", masker, 1.0)).zipInto(dir);
  }

  @Test
  void versionAndHelp() {
    Run v = run("--version");
    assertThat(v.code()).isZero();
    assertThat(v.out()).contains("bevt4j ").contains("DJL ");
    Run h = run("--help");
    assertThat(h.code()).isZero();
    assertThat(h.out()).contains("quickstart", "plugins", "config", "pretrain", "finetune", "probe", "tokenize",
        "compare-tokenizers", "forward", "convert", "bench", "Exit codes");
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(run().code()).isEqualTo(2);
    assertThat(run("frobnicate").code()).isEqualTo(2);
    assertThat(run("plugins", "--no-such-option").code()).isEqualTo(2);
    assertThat(run("config").code()).isEqualTo(2);
    assertThat(run("forward", "--component", "decoder").code()).isEqualTo(2);
  }

  @Test
  void convertWritesSafetensorsAndRefusesBadFiles() throws Exception {
    Path ckpts = Path.of(System.getProperty("bevt4j.checkpoints.dir"));
    Path out = tmp.resolve("swin.safetensors");
    Run ok = run("convert", ckpts.resolve("mmaction_video_swin.pth").toString(), "--output", out.toString(),
        "--select", "backbone.", "--strip-prefix", "backbone.", "--drop-index-buffers");
    assertThat(ok.code()).as(ok.err()).isZero();
    var sd = org.bevt4j.io.SafeTensors.read(out);
    assertThat(sd.keys()).contains("patch_embed.proj.weight").noneMatch(k -> k.startsWith("backbone."))
        .noneMatch(k -> k.endsWith("relative_position_index"));
    Run missing = run("convert", tmp.resolve("nope.pth").toString(), "--output", tmp.resolve("x.safetensors").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.pth");
    Path evil = tmp.resolve("evil.safetensors");
    Run bad = run("convert", ckpts.resolve("malicious.pth").toString(), "--output", evil.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("posix.system");
    assertThat(evil).doesNotExist();
  }

  @Test
  void pluginsListsPluginsAndTheirExtensions() throws Exception {
    Path plugins = tmp.resolve("plugins");
    maskerPlugin(plugins, "alpha", "alpha-mask");
    TestPlugin.id("empty").zipInto(plugins); // a plugin without extensions is listed too
    Run r = runWithPlugins(plugins, "plugins");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("alpha 1.0.0 (bevt4j tests)  STARTED")
        .contains("masker:        alpha-mask")
        .contains("empty 1.0.0 (bevt4j tests)  STARTED")
        .contains("(no extensions)")
        .contains("core (built in)")
        .contains("cli-backbone");

    Run j = runWithPlugins(plugins, "plugins", "--json");
    assertThat(j.code()).isZero();
    JsonObject root = JsonParser.parseString(j.out()).getAsJsonObject();
    assertThat(root.get("mode").getAsString()).isEqualTo("deployment");
    var list = root.getAsJsonArray("plugins");
    assertThat(list).hasSize(2);
    JsonObject alpha = list.get(0).getAsJsonObject();
    assertThat(alpha.get("id").getAsString()).isEqualTo("alpha");
    assertThat(alpha.get("state").getAsString()).isEqualTo("STARTED");
    assertThat(alpha.get("provider").getAsString()).isEqualTo("bevt4j tests");
    assertThat(alpha.getAsJsonObject("extensions").getAsJsonArray("masker").get(0).getAsString()).isEqualTo("alpha-mask");
    assertThat(list.get(1).getAsJsonObject().getAsJsonObject("extensions").size()).isZero();
    assertThat(root.getAsJsonObject("core").getAsJsonObject("extensions").getAsJsonArray("backbone").toString())
        .contains("cli-backbone");
    assertThat(root.getAsJsonArray("rejected")).isEmpty();
  }

  @Test
  void pluginProblemsAreListedAndExitWith3() throws Exception {
    Path plugins = tmp.resolve("plugins");
    maskerPlugin(plugins, "fine", "fine-mask");
    TestPlugin.id("bundler")
        .libJar("guice-7.0.0.jar", java.util.Map.of("com/google/inject/Injector.class", new byte[] {0}))
        .zipInto(plugins);
    Run r = runWithPlugins(plugins, "plugins");
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.out()).contains("fine 1.0.0").contains("Not available:").contains("lib/guice-7.0.0.jar");
    Run j = runWithPlugins(plugins, "plugins", "--json");
    assertThat(j.code()).isEqualTo(3);
    JsonObject root = JsonParser.parseString(j.out()).getAsJsonObject();
    assertThat(root.getAsJsonArray("rejected").get(0).getAsJsonObject().get("id").getAsString()).isEqualTo("bundler");
  }

  @Test
  void duplicateNamesArePluginErrorsWithoutStackTrace() {
    Path plugins = tmp.resolve("plugins");
    maskerPlugin(plugins, "one", "twin");
    maskerPlugin(plugins, "two", "twin");
    Run r = runWithPlugins(plugins, "plugins");
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).startsWith("plugin error: masker \"twin\" is provided twice").contains("\"one\"", "\"two\"");
    assertThat(r.err()).doesNotContain("\tat ");
  }

  @Test
  void configValidateReportsErrorsWithOriginAndNoStackTrace() throws Exception {
    Path conf = tmp.resolve("run.conf");
    Files.writeString(conf, "bevt {\n  train.optimizer.learning-rate = 1e-3\n}\n");
    Run r = runWithPlugins(tmp.resolve("none"), "config", "validate", "--config", conf.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("configuration error: bevt.train.optimizer.learning-rate (run.conf: 2): unknown key")
        .doesNotContain("\tat ");
    Run verbose = runWithPlugins(tmp.resolve("none"), "--verbose", "config", "validate", "-c", conf.toString());
    assertThat(verbose.code()).isEqualTo(2);
    assertThat(verbose.err()).contains("\tat org.bevt4j");
  }

  @Test
  void configValidateChecksComponentTypesAndAcceptsAValidFile() throws Exception {
    Path ok = tmp.resolve("ok.conf");
    Files.writeString(ok, CliTestExtensions.CONFIG);
    Run r = runWithPlugins(tmp.resolve("none"), "config", "validate", "--config", ok.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("OK: " + ok + " is valid");

    Run bad = runWithPlugins(tmp.resolve("none"), "config", "validate", "-c", ok.toString(), "--set", "bevt.model.backbone.type=cli-backbon");
    assertThat(bad.code()).isEqualTo(2);
    // the known list is every backbone on the test class path (core's test jar contributes one too)
    assertThat(bad.err())
        .contains("backbone type \"cli-backbon\" (--set bevt.model.backbone.type) is unknown; known: [cli-backbone, ")
        .containsPattern("known: \\[[^]]*tiny-vit[^]]*\\]")
        .contains("did you mean \"cli-backbone\"?");
  }

  @Test
  void configShowPrintsTheResolvedTreeWithOrigins() throws Exception {
    Path conf = tmp.resolve("run.conf");
    Files.writeString(conf, "bevt.train.seed = 12\n");
    Run r = runWithPlugins(tmp.resolve("none"), "config", "show", "--origins", "-c", conf.toString(), "-s", "bevt.run.name=shown");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("seed=12").contains("run.conf: 1").contains("# --set bevt.run.name").contains("dir=\"runs/shown\"");
    Run plain = runWithPlugins(tmp.resolve("none"), "config", "show");
    assertThat(plain.out()).contains("bevt {").doesNotContain("# reference.conf");
  }

  @Test
  void internalErrorsExitWith1AndHintAtVerbose() {
    CommandLine cl = Main.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    int code = new ErrorHandler().handleExecutionException(new IllegalStateException("boom"), cl, null);
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("internal error: java.lang.IllegalStateException: boom").contains("--verbose");
    assertThat(ErrorHandler.exitCode(new org.bevt4j.api.BevtException("env"))).isEqualTo(1);
    assertThat(ErrorHandler.exitCode(new org.pf4j.PluginRuntimeException("x"))).isEqualTo(3);
  }
}
