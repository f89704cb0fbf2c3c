package org.bevt4j.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --config FILE} and repeatable {@code --set KEY=VALUE}. */
public final class ConfigOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Configuration file (HOCON; include allowed). Relative paths in it resolve against its folder.")
  Path config;

  @Option(
      names = {"-s", "--set"},
      paramLabel = "KEY=VALUE",
      description = "Override one key, e.g. --set bevt.train.optimizer.lr=1e-4 (value parsed as HOCON; repeatable).")
  List<String> sets = new ArrayList<>();

  public Path config() {
    return config;
  }

  public List<String> sets() {
    return sets;
  }
}
