package org.bevt4j.cli.commands;

import java.util.List;
import java.util.concurrent.Callable;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.config.ResolvedConfigWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bevt4j config validate|show}. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Check or print the resolved configuration.",
    subcommands = {ConfigCommand.Validate.class, ConfigCommand.Show.class})
public final class ConfigCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** {@code bevt4j config validate}. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Load the configuration as a run would and check it: unknown keys, value kinds and ranges, and that every",
        "configured component type is installed. Prints the problems and exits with 2, or exits with 0."
      })
  public static final class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ConfigOptions config;

    @Override
    public Integer call() {
      try (BevtRuntime rt = Runtimes.open(spec, config, List.of())) {
        rt.validate();
        String what = config.config() != null ? config.config().toString() : "the default configuration";
        spec.commandLine().getOut().println("OK: " + what + " is valid (" + rt.plugins().started().size() + " plugins started)");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
      }
    }
  }

  /** {@code bevt4j config show [--origins]}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the resolved configuration (the bevt tree).")
  public static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ConfigOptions config;

    @Option(names = "--origins", description = "Precede each value with where it came from (file: line, --set, ...).")
    boolean origins;

    @Override
    public Integer call() {
      try (BevtRuntime rt = Runtimes.open(spec, config, List.of())) {
        spec.commandLine().getOut().println(ResolvedConfigWriter.render(rt.config(), origins));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
      }
    }
  }
}
