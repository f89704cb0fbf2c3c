package org.bevt4j.core.config;

import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import org.bevt4j.api.Settings;

/** Short {@code file: line} descriptions of where configuration values came from. */
public final class Origins {
  private Origins() {}

  /** {@code run.conf: 4}, {@code reference.conf: 57}, {@code --set bevt.train.lr}, ... */
  public static String describe(ConfigOrigin origin) {
    return Settings.describe(origin);
  }

  public static String describe(ConfigValue value) {
    return value == null ? "" : describe(value.origin());
  }

  /** Whether the value comes from a reference.conf (core's or a plugin's) rather than from the user. */
  public static boolean isReference(ConfigOrigin origin) {
    String d = origin == null ? null : origin.description();
    return d != null && d.contains(ConfigLoader.REFERENCE_MARKER);
  }
}
