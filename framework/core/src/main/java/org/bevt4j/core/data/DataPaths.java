package org.bevt4j.core.data;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Settings;

/** Path and extension keys of dataset blocks, resolved like every user path. */
public final class DataPaths {
  private DataPaths() {}

  /** A required path (relative ones resolved by the context against the config file's folder). */
  public static Path required(Settings s, String key, BuildContext ctx) {
    String v = s.optString(key);
    if (v == null || v.isBlank()) {
      throw s.invalid(key, "is required for this dataset type", "set it to a path");
    }
    return resolve(v, ctx);
  }

  /** An optional path, null when unset. */
  public static Path optional(Settings s, String key, BuildContext ctx) {
    String v = s.optString(key);
    return v == null || v.isBlank() ? null : resolve(v, ctx);
  }

  private static Path resolve(String v, BuildContext ctx) {
    return ctx != null ? ctx.resolvePath(v) : Path.of(v);
  }

  /** The {@code extensions} list, lower-cased, without dots. */
  public static Set<String> extensions(Settings s) {
    Set<String> out = new LinkedHashSet<>();
    for (String e : s.strings("extensions")) {
      out.add(e.toLowerCase(Locale.ROOT).replaceFirst("^\\.", ""));
    }
    if (out.isEmpty()) {
      throw s.invalid("extensions", "must list at least one file extension", null);
    }
    return out;
  }
}
