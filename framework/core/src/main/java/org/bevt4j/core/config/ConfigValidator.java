package org.bevt4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.io.Names;

/**
 * Strict validation of the user's keys against the schema, which is the merged reference
 * configuration (core + started plugins):
 *
 * <ul>
 *   <li>a key under {@code bevt} that no reference defines is an error, with its origin and a
 *       did-you-mean suggestion (a sibling with a similar name, or the same key elsewhere);
 *   <li>a value whose kind differs from the reference default is an error (a string where a number
 *       is expected, a scalar where an object is expected, ...); {@code null} is always accepted;
 *   <li>free-form places: a key whose reference default is {@code null} accepts any value, an
 *       object that is empty ({@code {}}) in the reference accepts any keys, and list elements are
 *       not inspected (the typed settings records of their owners validate them).
 * </ul>
 */
public final class ConfigValidator {
  /** The validated root key. */
  public static final String ROOT = "bevt";
  private static final int MAX_LISTED_KEYS = 16;

  private ConfigValidator() {}

  /** Every problem found (empty when valid). */
  public static List<BevtConfigException> check(Config config, Config reference) {
    List<BevtConfigException> errors = new ArrayList<>();
    if (!config.hasPath(ROOT)) {
      return errors;
    }
    ConfigValue user = config.root().get(ROOT);
    ConfigValue ref = reference.root().get(ROOT);
    if (ref == null) {
      return errors;
    }
    if (user.valueType() != ConfigValueType.OBJECT) {
      errors.add(new BevtConfigException(ROOT, Origins.describe(user), "expected an object, found " + kind(user), null));
      return errors;
    }
    walk((ConfigObject) user, (ConfigObject) ref, ROOT, reference, errors);
    return errors;
  }

  /** Throws a {@link BevtConfigException} listing every problem. */
  public static void validate(Config config, Config reference) {
    ConfigErrors.throwIfAny(check(config, reference));
  }

  private static void walk(ConfigObject user, ConfigObject ref, String path, Config reference, List<BevtConfigException> errors) {
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      String key = e.getKey();
      String childPath = ConfigTree.join(path, key);
      ConfigValue uv = e.getValue();
      ConfigValue rv = ref.get(key);
      if (rv == null) {
        errors.add(unknownKey(childPath, key, uv, ref, path, reference));
        continue;
      }
      ConfigValueType rt = rv.valueType();
      ConfigValueType ut = uv.valueType();
      if (rt == ConfigValueType.NULL || ut == ConfigValueType.NULL) {
        continue;
      }
      if (rt == ConfigValueType.OBJECT) {
        if (ut != ConfigValueType.OBJECT) {
          errors.add(typeError(childPath, uv, rv, "an object"));
        } else if (!((ConfigObject) rv).isEmpty()) {
          walk((ConfigObject) uv, (ConfigObject) rv, childPath, reference, errors);
        }
        continue;
      }
      if (!compatible(rt, ut)) {
        errors.add(typeError(childPath, uv, rv, expected(rt)));
      }
    }
  }

  private static boolean compatible(ConfigValueType ref, ConfigValueType user) {
    return switch (ref) {
      case STRING -> user == ConfigValueType.STRING || user == ConfigValueType.NUMBER || user == ConfigValueType.BOOLEAN;
      default -> ref == user;
    };
  }

  private static String expected(ConfigValueType t) {
    return switch (t) {
      case NUMBER -> "a number";
      case BOOLEAN -> "true or false";
      case LIST -> "a list";
      case STRING -> "a string";
      default -> t.name().toLowerCase(Locale.ROOT);
    };
  }

  static String kind(ConfigValue v) {
    String type = v.valueType().name().toLowerCase(Locale.ROOT);
    String shown = v.render();
    if (shown.length() > 60) {
      shown = shown.substring(0, 57) + "...";
    }
    return v.valueType() == ConfigValueType.OBJECT ? "an object" : type + " " + shown;
  }

  private static BevtConfigException typeError(String path, ConfigValue user, ConfigValue ref, String expected) {
    String hint = "the default is " + abbreviate(ref.render()) + " (" + Origins.describe(ref) + ")";
    if (user.valueType() == ConfigValueType.STRING && ref.valueType() != ConfigValueType.STRING) {
      hint += "; a quoted value is a string — drop the quotes";
    }
    return new BevtConfigException(path, Origins.describe(user), "expected " + expected + ", found " + kind(user), hint);
  }

  private static String abbreviate(String s) {
    String one = s.replaceAll("\\s+", " ").trim();
    return one.length() > 60 ? one.substring(0, 57) + "..." : one;
  }

  private static BevtConfigException unknownKey(
      String childPath, String key, ConfigValue uv, ConfigObject ref, String parentPath, Config reference) {
    String hint;
    String sibling = Names.closest(key, ref.keySet());
    List<String> elsewhere = nearest(sameNameElsewhere(key, reference), parentPath);
    if (sibling != null) {
      hint = "did you mean \"" + ConfigTree.join(parentPath, sibling) + "\"?";
    } else if (elsewhere.size() == 1) {
      hint = "did you mean \"" + elsewhere.get(0) + "\"?";
    } else if (!elsewhere.isEmpty()) {
      hint = "it is known at " + elsewhere;
    } else if (ref.containsKey("type")) {
      hint = "known keys under " + parentPath + ": " + listed(ref) + "; if \"" + key
          + "\" is a component type, the plugin providing it may be missing (bevt4j plugins lists them)";
    } else {
      hint = "known keys under " + parentPath + ": " + listed(ref);
    }
    return new BevtConfigException(childPath, Origins.describe(uv), "unknown key", hint);
  }

  private static String listed(ConfigObject ref) {
    List<String> keys = ref.keySet().stream().sorted().toList();
    return keys.size() <= MAX_LISTED_KEYS
        ? keys.toString()
        : keys.subList(0, MAX_LISTED_KEYS) + " and " + (keys.size() - MAX_LISTED_KEYS) + " more";
  }

  /**
   * The paths sharing the longest leading run of path elements with {@code parent} (e.g. for
   * {@code bevt.train.lr}: {@code bevt.train.optimizer.lr} rather than {@code bevt.finetune.optimizer.lr}).
   */
  private static List<String> nearest(List<String> paths, String parent) {
    if (paths.size() < 2) {
      return paths;
    }
    String[] p = parent.split("\\.");
    int best = -1;
    List<String> out = new ArrayList<>();
    for (String candidate : paths) {
      String[] c = candidate.split("\\.");
      int n = 0;
      while (n < p.length && n < c.length && p[n].equals(c[n])) {
        n++;
      }
      if (n > best) {
        best = n;
        out.clear();
      }
      if (n == best) {
        out.add(candidate);
      }
    }
    return out;
  }

  /** Full paths in the reference whose last key equals {@code key} (objects and leaves). */
  private static List<String> sameNameElsewhere(String key, Config reference) {
    List<String> out = new ArrayList<>();
    collectNamed(reference.root(), "", key, out);
    return out;
  }

  private static void collectNamed(ConfigObject obj, String path, String key, List<String> out) {
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      String p = ConfigTree.join(path, e.getKey());
      if (e.getKey().equals(key)) {
        out.add(p);
      }
      if (e.getValue().valueType() == ConfigValueType.OBJECT) {
        collectNamed((ConfigObject) e.getValue(), p, key, out);
      }
    }
  }
}
