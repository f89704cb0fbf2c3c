package org.bevt4j.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The framework version (checked against each plugin's {@code plugin.requires}) and build version. */
public final class BevtVersion {
  private static final Properties PROPS = load();

  private BevtVersion() {}

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = BevtVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to the defaults below
    }
    return p;
  }

  private static String get(String key) {
    String v = PROPS.getProperty(key, "");
    return v.isBlank() || v.startsWith("${") ? "0.0.0" : v.trim();
  }

  /** The framework version, e.g. {@code 0.1.0} ({@code 0.0.0} when unknown: no requires check). */
  public static String framework() {
    return get("framework.version");
  }

  /** The build (Maven project) version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String build() {
    return get("build.version");
  }
}
