package org.bevt4j.core.tokenizer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Settings;
import org.bevt4j.io.Names;

/**
 * Named presets inside a config block: {@code presets.<name> { ... }} overrides the block's
 * <b>defaults</b> (values that come from a {@code reference.conf}), never what the user set (in a
 * config file, {@code --set}, system properties). The same rule applies to the generic
 * {@code bevt.tokenizer-training} block, the type's block ({@code bevt.tokenizer-training.<type>})
 * and the perceptual network's block, so a plugin ships its part of a preset with its own defaults.
 */
public final class Presets {
  public static final String KEY = "presets";
  private static final String REFERENCE = "reference.conf";

  private Presets() {}

  /**
   * The block with preset {@code name} applied (or just without {@code presets} when name is null
   * or the block has no such preset): each leaf of the preset replaces the block's value when that
   * value is absent or a reference default.
   */
  public static Config apply(Config block, String name) {
    Config out = block.withoutPath(KEY);
    if (name == null || !block.hasPath(KEY + "." + name)) {
      return out;
    }
    for (Map.Entry<String, ConfigValue> e : block.getConfig(KEY + "." + name).entrySet()) {
      String path = e.getKey();
      if (!out.hasPathOrNull(path) || isDefault(out.getValue(path))) {
        out = out.withValue(path, e.getValue());
      }
    }
    return out;
  }

  /** Whether a value comes from a {@code reference.conf} (core's or a plugin's). */
  static boolean isDefault(ConfigValue v) {
    String d = v.origin() == null ? null : v.origin().description();
    return d != null && d.contains(REFERENCE);
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
