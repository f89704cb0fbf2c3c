package org.bevt4j.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A plugin's own {@code reference.conf}, read the way the host reads it: the file that sits next to
 * the plugin's classes (found from one of its classes), never the host's or another library's copy
 * of the same resource name.
 *
 * <pre>{@code
 * Config settings = PluginReference.of(MyBackboneFactory.class)
 *     .settings("bevt.model.backbone.my-vit", "depth = 1, embed-dim = 16");
 * }</pre>
 */
public final class PluginReference {
  private final Config reference;
  private final String source;

  private PluginReference(Config reference, String source) {
    this.reference = reference;
    this.source = source;
  }

  /**
   * The {@code reference.conf} of the code source (jar or classes folder) holding {@code anchor}.
   *
   * @throws IllegalStateException when that code source has no {@code reference.conf}
   */
  public static PluginReference of(Class<?> anchor) {
    URL url = find(anchor);
    try {
      Config c = ConfigFactory.parseURL(url, ConfigParseOptions.defaults().setAllowMissing(false));
      return new PluginReference(c, url.toString());
    } catch (ConfigException e) {
      throw new IllegalStateException("cannot parse " + url + ": " + e.getMessage(), e);
    }
  }

  private static URL find(Class<?> anchor) {
    CodeSource cs = anchor.getProtectionDomain().getCodeSource();
    String base = cs == null || cs.getLocation() == null ? null : cs.getLocation().toString();
    List<URL> all;
    try {
      ClassLoader cl = anchor.getClassLoader() != null ? anchor.getClassLoader() : ClassLoader.getSystemClassLoader();
      all = Collections.list(cl.getResources("reference.conf"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list reference.conf resources: " + e.getMessage(), e);
    }
    List<String> seen = new ArrayList<>();
    for (URL u : all) {
      String s = u.toString();
      seen.add(s);
      if (base != null && (s.startsWith(base) || s.startsWith("jar:" + base))) {
        return u;
      }
    }
    throw new IllegalStateException(
        "no reference.conf next to "
            + anchor.getName()
            + " (code source "
            + base
            + "); a plugin ships its defaults in src/main/resources/reference.conf. Found only: "
            + seen);
  }

  /** The whole file, unresolved. */
  public Config config() {
    return reference;
  }

  /** Where the file was read from. */
  public String source() {
    return source;
  }

  /**
   * The subtree at {@code path} (e.g. {@code bevt.model.backbone.my-vit}), resolved, with
   * {@code overrides} (HOCON relative to that subtree, may be empty) taking precedence.
   *
   * @throws IllegalArgumentException when the file has no such subtree
   */
  public Config settings(String path, String overrides) {
    if (!reference.hasPath(path)) {
      throw new IllegalArgumentException(source + " has no subtree " + path + "; its top-level keys: " + reference.root().keySet());
    }
    Config base = reference.getConfig(path);
    Config over = overrides == null || overrides.isBlank() ? ConfigFactory.empty() : ConfigFactory.parseString(overrides);
    return over.withFallback(base).resolve();
  }
}
