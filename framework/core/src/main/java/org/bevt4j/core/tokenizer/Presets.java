package org.bevt4j.core.tokenizer;

import com.typesafe.config.Config;
import java.util.List;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Settings;
import org.bevt4j.io.Names;

/**
 * Named presets inside a config block: {@code presets.<name> { ... }} overrides the block's other
 * keys (deep merge). The same rule applies to the generic {@code bevt.tokenizer-training} block, the
 * type's block ({@code bevt.tokenizer-training.<type>}) and the perceptual network's block, so a
 * plugin ships its part of a preset with its own defaults.
 */
public final class Presets {
  public static final String KEY = "presets";

  private Presets() {}

  /**
   * The block with preset {@code name} applied (or just without {@code presets} when name is null
   * or the block has no such preset).
   */
  public static Config apply(Config block, String name) {
    Config rest = block.withoutPath(KEY);
    if (name == null || !block.hasPath(KEY + "." + name)) {
      return rest;
    }
    return block.getConfig(KEY + "." + name).withFallback(rest);
  }

  /** The preset names a block defines. */
  public static List<String> names(Config block) {
    return block.hasPath(KEY) ? block.getConfig(KEY).root().keySet().stream().sorted().toList() : List.of();
  }

  /** Checks that {@code name} (if set) is one of the generic block's presets. */
  public static void check(Config generic, String name, Settings s) {
    if (name != null && !names(generic).contains(name)) {
      throw new BevtConfigException(s.full("preset"), s.origin("preset"), "unknown preset \"" + name + "\"",
          "known: " + names(generic) + Names.didYouMean(name, names(generic)));
    }
  }
}
