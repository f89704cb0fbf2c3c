package org.bevt4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.bevt4j.api.BevtConfigException;

/**
 * Command-line ({@code --set key=value}) and system-property ({@code -Dbevt.key=value}) overrides.
 * The value is parsed as HOCON, so numbers, booleans, lists ({@code [video, image]}), objects
 * ({@code {image = 2}}), {@code null} and substitutions work; a value HOCON would alter (an
 * unquoted string holding {@code //} or {@code #}, which HOCON reads as a comment) is kept verbatim.
 */
public final class Overrides {
  private Overrides() {}

  /** Parses {@code key=value} into a one-key config whose origin reads {@code --set key}. */
  public static Config parseSet(String assignment) {
    int eq = assignment == null ? -1 : assignment.indexOf('=');
    if (eq <= 0) {
      throw new BevtConfigException(
          null, "--set " + assignment, "expected key=value", "e.g. --set bevt.train.optimizer.lr=1e-4");
    }
    return single(assignment.substring(0, eq).trim(), assignment.substring(eq + 1), "--set ");
  }

  /** Parses each assignment; later ones win. */
  public static Config parseSets(List<String> assignments) {
    Config out = ConfigFactory.empty();
    for (String a : assignments == null ? List.<String>of() : assignments) {
      out = parseSet(a).withFallback(out);
    }
    return out;
  }

  /** The {@code bevt.*} system properties, each parsed like a {@code --set}. */
  public static Config systemProperties(Properties props) {
    Config out = ConfigFactory.empty();
    for (String key : new TreeSet<>(props.stringPropertyNames())) {
      if (key.startsWith("bevt.")) {
        out = single(key, props.getProperty(key), "-D").withFallback(out);
      }
    }
    return out;
  }

  private static Config single(String key, String rawValue, String originPrefix) {
    String origin = originPrefix + key;
    List<String> parts;
    try {
      parts = ConfigUtil.splitPath(key);
    } catch (ConfigException e) {
      throw new BevtConfigException(key, origin, "invalid key", "keys are dotted paths such as bevt.train.seed");
    }
    ConfigValue value = parseValue(rawValue, origin).withOrigin(ConfigOriginFactory.newSimple(origin));
    // nest it by hand so that the enclosing objects also carry this origin
    for (int i = parts.size() - 1; i >= 0; i--) {
      value = ConfigValueFactory.fromMap(Map.of(parts.get(i), value), origin);
    }
    return ((ConfigObject) value).toConfig();
  }

  /** Parses one value as HOCON, keeping it verbatim when HOCON would change it. */
  static ConfigValue parseValue(String rawValue, String origin) {
    String raw = rawValue == null ? "" : rawValue.trim();
    ConfigValue literal = ConfigValueFactory.fromAnyRef(raw, origin);
    if (raw.isEmpty()) {
      return literal;
    }
    try {
      Config c = ConfigFactory.parseString("v = " + raw, ConfigParseOptions.defaults().setOriginDescription(origin));
      ConfigValue v = c.root().get("v");
      if (v == null) {
        return literal;
      }
      if (raw.startsWith("\"") || raw.contains("${")) {
        return v;
      }
      if (v.valueType() == ConfigValueType.STRING && !raw.equals(v.unwrapped())) {
        return literal;
      }
      return v;
    } catch (ConfigException e) {
      return literal;
    }
  }
}
