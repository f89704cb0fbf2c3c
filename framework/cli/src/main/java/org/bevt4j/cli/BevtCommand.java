package org.bevt4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bevt4j.cli.commands.BenchCommand;
import org.bevt4j.cli.commands.CompareTokenizersCommand;
import org.bevt4j.cli.commands.ConfigCommand;
import org.bevt4j.cli.commands.ConvertCommand;
import org.bevt4j.cli.commands.FinetuneCommand;
import org.bevt4j.cli.commands.ForwardCommand;
import org.bevt4j.cli.commands.PluginsCommand;
import org.bevt4j.cli.commands.PretrainCommand;
import org.bevt4j.cli.commands.ProbeCommand;
import org.bevt4j.cli.commands.QuickstartCommand;
import org.bevt4j.cli.commands.TokenizeCommand;
import org.bevt4j.cli.commands.TrainTokenizerCommand;
import org.pf4j.RuntimeMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root {@code bevt4j} command; its options apply to every subcommand. */
@Command(
    name = "bevt4j",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "BEVT self-supervised pretraining of video transformers on the JVM (DJL + PyTorch).",
    subcommands = {
      QuickstartCommand.class,
      PluginsCommand.class,
      ConfigCommand.class,
      PretrainCommand.class,
      FinetuneCommand.class,
      ProbeCommand.class,
      TokenizeCommand.class,
      CompareTokenizersCommand.class,
      TrainTokenizerCommand.class,
      ForwardCommand.class,
      ConvertCommand.class,
      BenchCommand.class,
      picocli.CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:internal error", "2:usage or configuration error", "3:plugin error"})
public final class BevtCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private boolean verbose;
  private Path pluginsDir;
  private RuntimeMode pluginMode;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Debug logging, and stack traces with errors.")
  void setVerbose(boolean verbose) {
    this.verbose = verbose;
  }

  @Option(
      names = "--plugins-dir",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description = "Plugins folder (overrides bevt.plugins.dir and the detected default).")
  void setPluginsDir(Path dir) {
    this.pluginsDir = dir;
  }

  @Option(
      names = "--plugin-mode",
      paramLabel = "MODE",
      scope = ScopeType.INHERIT,
      description = "deployment (plugin zips) or development (plugin modules' target/classes); default: detected.")
  void setPluginMode(RuntimeMode mode) {
    this.pluginMode = mode;
  }

  public boolean verbose() {
    return verbose;
  }

  public Path pluginsDir() {
    return pluginsDir;
  }

  public RuntimeMode pluginMode() {
    return pluginMode;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
