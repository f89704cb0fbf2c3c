package org.bevt4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.core.plugin.PluginHostOptions;
import picocli.CommandLine;

/** Runs the CLI in-process and captures its output; plugins from the source tree's modules. */
final class CliHarness {
  private CliHarness() {}

  record Run(int code, String out, String err) {
    /** Both streams, for assertion messages. */
    String all() {
      return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** The repository root (the nearest bevt4j source tree above the working directory). */
  static Path repoRoot() {
    Path root = PluginHostOptions.findSourceRoot(Path.of("").toAbsolutePath());
    if (root == null) {
      throw new IllegalStateException("tests must run inside the bevt4j source tree");
    }
    return root;
  }

  /**
   * Runs with the repository's plugin modules in development mode (their {@code target/classes},
   * built by the reactor before this module).
   */
  static Run runWithRepoPlugins(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--plugins-dir=" + repoRoot().resolve("plugins"));
    all.add("--plugin-mode=development");
    return run(all.toArray(String[]::new));
  }
}
