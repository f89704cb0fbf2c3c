package org.bevt4j.cli.commands;

import java.util.List;
import java.util.concurrent.Callable;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.core.BevtRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bevt4j plugins [--json]}. */
@Command(
    name = "plugins",
    mixinStandardHelpOptions = true,
    description = {
      "List the plugins found (id, version, provider, state) and the extensions each provides, per extension point.",
      "Exits with 3 when a plugin was refused, failed to start or has a broken extension (the others are still listed)."
    })
public final class PluginsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--json", description = "Machine-readable output.")
  boolean json;

  @Override
  public Integer call() {
    try (BevtRuntime rt = Runtimes.open(spec, config, List.of())) {
      PluginListing listing = new PluginListing(rt);
      if (json) {
        listing.printJson(spec.commandLine().getOut());
      } else {
        listing.printText(spec.commandLine().getOut());
      }
      return listing.hasProblems() ? ExitCodes.PLUGIN : ExitCodes.OK;
    }
  }
}
