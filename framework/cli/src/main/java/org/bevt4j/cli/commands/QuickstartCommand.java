package org.bevt4j.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.cli.logging.LogFiles;
import org.bevt4j.cli.progress.Progress;
import org.bevt4j.core.quickstart.Quickstart;
import org.bevt4j.core.quickstart.QuickstartResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bevt4j quickstart}: the embedded default — synthetic clips with motion-defined classes, a
 * tiny BEVT Video Swin pretrained jointly (video + image) and image-only, linear probes of the frozen
 * backbones against a random one, with a summary table and plots. Offline, CPU, minutes; re-running
 * reuses finished work in the run directory.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = "The embedded default: synthetic data, tiny models, a short pretraining and an evaluation, with a summary table and plots (offline, CPU, minutes).")
public final class QuickstartCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Use this configuration instead of the embedded one (written to RUN_DIR/quickstart.conf).")
  Path configFile;

  @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Override one key (repeatable), e.g. --set bevt.quickstart.pretrain-steps=60.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--run-dir", paramLabel = "DIR", defaultValue = "runs/quickstart", description = "Run directory (default: ${DEFAULT-VALUE}).")
  Path runDir;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    Path root = runDir.toAbsolutePath().normalize();
    Files.createDirectories(root);
    Path conf = configFile != null ? configFile.toAbsolutePath() : Quickstart.writeEmbeddedConfig(root.resolve("quickstart.conf"));
    Instant start = Instant.now();
    out.println("bevt4j quickstart: configuration " + conf + ", run directory " + root);
    out.flush();
    try (LogFiles.Attached log = LogFiles.attach(root)) {
      QuickstartResult result =
          Quickstart.run(
              root,
              extra -> {
                ConfigOptions co = new ConfigOptions();
                co.config = conf;
                co.sets = new ArrayList<>(sets);
                return Runtimes.open(spec, co, extra);
              },
              Progress.forEnvironment(),
              line -> {
                out.println(line);
                out.flush();
              });
      out.println();
      out.print(result.table());
      Duration d = Duration.between(start, Instant.now());
      out.println("report: " + root.resolve("report.md") + ", chart: " + root.resolve("plots/probe.png")
          + String.format(" (%d min %02d s)", d.toMinutes(), d.toSecondsPart()));
      out.flush();
    }
    return ExitCodes.OK;
  }
}
