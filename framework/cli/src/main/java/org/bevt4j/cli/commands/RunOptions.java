package org.bevt4j.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of commands that write a run directory. */
public final class RunOptions {
  @Option(names = "--run-dir", paramLabel = "DIR", description = "Run directory (sets bevt.run.dir).")
  Path runDir;

  @Option(
      names = "--resume",
      paramLabel = "none|auto|PATH",
      description = "Resume from the latest checkpoint (auto) or a given one (sets bevt.run.resume).")
  String resume;

  /** The overrides these options stand for, as {@code --set} assignments. */
  public List<String> asSets() {
    List<String> out = new ArrayList<>();
    if (runDir != null) {
      out.add("bevt.run.dir=" + quote(runDir.toAbsolutePath().normalize().toString()));
    }
    if (resume != null) {
      out.add("bevt.run.resume=" + quote(resume));
    }
    return out;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
