package org.bevt4j.cli.commands;

import java.util.List;
import org.bevt4j.cli.BevtCommand;
import org.bevt4j.core.BevtRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Opens the {@link BevtRuntime} for a command from its options and the root's global options. */
public final class Runtimes {
  private Runtimes() {}

  public static BevtRuntime open(CommandSpec spec, ConfigOptions config, List<String> extraSets) {
    BevtCommand root = root(spec);
    BevtRuntime.Builder b = BevtRuntime.builder();
    if (config != null) {
      if (config.config() != null) {
        b.configFile(config.config());
      }
      b.sets(config.sets());
    }
    b.sets(extraSets);
    if (root != null && root.pluginsDir() != null) {
      b.pluginsDir(root.pluginsDir());
    }
    if (root != null && root.pluginMode() != null) {
      b.mode(root.pluginMode());
    }
    return b.open();
  }

  /**
   * Opens the runtime and seeds the engine's random generator with {@code bevt.train.seed}, so that
   * components without weights (random initialisation) are the same on every run.
   */
  public static BevtRuntime openSeeded(CommandSpec spec, ConfigOptions config, List<String> extraSets) {
    BevtRuntime rt = open(spec, config, extraSets);
    try {
      ai.djl.engine.Engine.getEngine(org.bevt4j.core.plugin.PluginHost.ENGINE)
          .setRandomSeed((int) Math.floorMod(rt.settings().seed(), (long) Integer.MAX_VALUE));
      return rt;
    } catch (RuntimeException e) {
      rt.close();
      throw e;
    }
  }

  static BevtCommand root(CommandSpec spec) {
    CommandLine c = spec.commandLine();
    while (c.getParent() != null) {
      c = c.getParent();
    }
    return c.getCommand() instanceof BevtCommand b ? b : null;
  }
}
