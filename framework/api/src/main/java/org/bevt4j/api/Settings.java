package org.bevt4j.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bevt4j.io.Names;

/**
 * Typed, validated access to one configuration subtree, for building settings records eagerly.
 * Every error is a {@link BevtConfigException} naming the full key path, its origin
 * ({@code file: line}), the offending value and the constraint.
 *
 * <pre>{@code
 * Settings s = Settings.of(config, "bevt.train");
 * int acc = s.intIn("accumulate", 1, 1024);
 * }</pre>
 */
@Stable
public final class Settings {
  private final Config config;
  private final String prefix;

  private Settings(Config config, String prefix) {
    this.config = config;
    this.prefix = prefix == null ? "" : prefix;
  }

  /** Settings for {@code config} whose keys are reported under {@code prefix} (e.g. {@code bevt.train}). */
  public static Settings of(Config config, String prefix) {
    return new Settings(config, prefix);
  }

  /** The subtree at {@code path}, as settings. */
  public Settings sub(String path) {
    return new Settings(hasPath(path) ? config.getConfig(path) : com.typesafe.config.ConfigFactory.empty(), full(path));
  }

  public Config config() {
    return config;
  }

  public String prefix() {
    return prefix;
  }

  /** Full dotted path of a key, for messages. */
  public String full(String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  /** The {@code file: line} a key came from, or "" when unknown. */
  public String origin(String key) {
    try {
      return describe(config.getValue(key).origin());
    } catch (ConfigException e) {
      return describe(config.origin());
    }
  }

  /**
   * Formats an origin as {@code file: line} (the file's base name). Origins without a file (a
   * string parsed with an origin description such as {@code --set bevt.train.lr}, a URL inside a
   * jar) are shown by their description, which already carries the line.
   */
  public static String describe(ConfigOrigin o) {
    if (o == null) {
      return "";
    }
    String f = o.filename() != null ? o.filename() : o.resource();
    if (f == null && o.url() != null) {
      f = o.url().getPath();
    }
    if (f == null) {
      return o.description() == null ? "" : o.description();
    }
    if (f.contains("/")) {
      f = f.substring(f.lastIndexOf('/') + 1);
    }
    return o.lineNumber() > 0 ? f + ": " + o.lineNumber() : f;
  }

  public boolean hasPath(String key) {
    return config.hasPath(key);
  }

  /** True when the key is absent or explicitly null. */
  public boolean isNull(String key) {
    return !config.hasPathOrNull(key) || config.getIsNull(key);
  }

  private BevtConfigException error(String key, String problem, String hint) {
    return new BevtConfigException(full(key), origin(key), problem, hint);
  }

  private ConfigValue value(String key) {
    if (!config.hasPathOrNull(key)) {
      throw new BevtConfigException(full(key), describe(config.origin()), "is required but missing", null);
    }
    return config.getValue(key);
  }

  private String typeError(ConfigValue v, String expected) {
    return "expected " + expected + ", found " + v.valueType().name().toLowerCase(Locale.ROOT) + " " + v.render();
  }

  public String string(String key) {
    ConfigValue v = value(key);
    if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST || v.valueType() == ConfigValueType.NULL) {
      throw error(key, typeError(v, "a string"), null);
    }
    return String.valueOf(v.unwrapped());
  }

  /** A string or null when absent/null. */
  public String optString(String key) {
    return isNull(key) ? null : string(key);
  }

  public double number(String key) {
    ConfigValue v = value(key);
    if (v.valueType() == ConfigValueType.NUMBER) {
      return ((Number) v.unwrapped()).doubleValue();
    }
    throw error(key, typeError(v, "a number"), null);
  }

  /** A number within [min, max]. */
  public double numberIn(String key, double min, double max) {
    double d = number(key);
    if (!(d >= min && d <= max)) {
      throw error(key, "value " + config.getValue(key).render() + " is out of range", "must be in [" + min + ", " + max + "]");
    }
    return d;
  }

  public long longValue(String key) {
    double d = number(key);
    if (d != Math.rint(d)) {
      throw error(key, "expected an integer, found " + config.getValue(key).render(), null);
    }
    return (long) d;
  }

  public int integer(String key) {
    return Math.toIntExact(longValue(key));
  }

  /** An integer within [min, max]. */
  public int intIn(String key, int min, int max) {
    int i = integer(key);
    if (i < min || i > max) {
      throw error(key, "value " + i + " is out of range", "must be in [" + min + ", " + max + "]");
    }
    return i;
  }

  public boolean bool(String key) {
    ConfigValue v = value(key);
    if (v.valueType() == ConfigValueType.BOOLEAN) {
      return (Boolean) v.unwrapped();
    }
    throw error(key, typeError(v, "true or false"), null);
  }

  /** One of the allowed (case-sensitive) strings. */
  public String oneOf(String key, String... allowed) {
    String s = string(key);
    if (!Arrays.asList(allowed).contains(s)) {
      throw error(key, "unknown value \"" + s + "\"", "allowed: " + Arrays.toString(allowed) + Names.didYouMean(s, Arrays.asList(allowed)).replace("; ", ", "));
    }
    return s;
  }

  private List<? extends ConfigValue> list(String key) {
    ConfigValue v = value(key);
    if (v.valueType() != ConfigValueType.LIST) {
      throw error(key, typeError(v, "a list"), null);
    }
    return config.getList(key);
  }

  public List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    for (ConfigValue v : list(key)) {
      if (v.valueType() == ConfigValueType.LIST || v.valueType() == ConfigValueType.OBJECT) {
        throw error(key, "list element " + v.render() + " is not a string", null);
      }
      out.add(String.valueOf(v.unwrapped()));
    }
    return out;
  }

  public double[] numbers(String key) {
    List<? extends ConfigValue> l = list(key);
    double[] out = new double[l.size()];
    for (int i = 0; i < out.length; i++) {
      ConfigValue v = l.get(i);
      if (v.valueType() != ConfigValueType.NUMBER) {
        throw error(key, "list element " + i + " " + typeError(v, "a number"), null);
      }
      out[i] = ((Number) v.unwrapped()).doubleValue();
    }
    return out;
  }

  /** Integers, optionally with a required length (-1 = any) and a minimum value. */
  public int[] ints(String key, int length, int min) {
    double[] d = numbers(key);
    if (length >= 0 && d.length != length) {
      throw error(key, "expected " + length + " values, found " + d.length, null);
    }
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      if (d[i] != Math.rint(d[i]) || d[i] < min) {
        throw error(key, "element " + i + " = " + d[i] + " is not an integer >= " + min, null);
      }
      out[i] = (int) d[i];
    }
    return out;
  }

  /** A custom validation failure for {@code key}. */
  public BevtConfigException invalid(String key, String problem, String hint) {
    return error(key, problem, hint);
  }
}
