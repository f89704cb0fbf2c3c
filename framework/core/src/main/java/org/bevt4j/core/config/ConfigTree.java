package org.bevt4j.core.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Walks configuration trees without resolving them. */
final class ConfigTree {
  private ConfigTree() {}

  /** A leaf: a non-object value (or an unresolved one), with its full path. */
  record Leaf(String path, ConfigValue value) {}

  static String join(String parent, String key) {
    String k = ConfigUtil.joinPath(key);
    return parent == null || parent.isEmpty() ? k : parent + "." + k;
  }

  /** The value type, or null when the value is an unresolved substitution. */
  static ConfigValueType typeOf(ConfigValue v) {
    try {
      return v.valueType();
    } catch (ConfigException.NotResolved e) {
      return null;
    }
  }

  /** Every leaf under {@code root}; empty objects count as leaves. */
  static List<Leaf> leaves(ConfigObject root) {
    List<Leaf> out = new ArrayList<>();
    collect(root, "", out);
    return out;
  }

  private static void collect(ConfigObject obj, String path, List<Leaf> out) {
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      String p = join(path, e.getKey());
      ConfigValue v = e.getValue();
      if (typeOf(v) == ConfigValueType.OBJECT && !((ConfigObject) v).isEmpty()) {
        collect((ConfigObject) v, p, out);
      } else {
        out.add(new Leaf(p, v));
      }
    }
  }
}
