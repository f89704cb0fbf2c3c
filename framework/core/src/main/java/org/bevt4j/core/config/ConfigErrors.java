package org.bevt4j.core.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.bevt4j.api.BevtConfigException;

/** Turns Typesafe Config exceptions and lists of problems into {@link BevtConfigException}s. */
public final class ConfigErrors {
  private ConfigErrors() {}

  /** A Typesafe Config exception (parse error, unresolved substitution, ...) as a user error. */
  public static BevtConfigException from(ConfigException e) {
    ConfigOrigin origin = e.origin();
    String where = origin == null ? null : Origins.describe(origin);
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (origin != null && origin.description() != null && message.startsWith(origin.description() + ": ")) {
      message = message.substring(origin.description().length() + 2);
    }
    BevtConfigException out = new BevtConfigException(null, where, message, null);
    out.initCause(e);
    return out;
  }

  /** Throws nothing for no errors, the error itself for one, and a combined error for several. */
  public static void throwIfAny(List<BevtConfigException> errors) {
    if (errors.isEmpty()) {
      return;
    }
    if (errors.size() == 1) {
      throw errors.get(0);
    }
    List<BevtConfigException> sorted =
        errors.stream().sorted(Comparator.comparing(e -> e.origin() == null ? "" : e.origin())).toList();
    String all = sorted.stream().map(e -> "  - " + e.getMessage()).collect(Collectors.joining("\n"));
    BevtConfigException first = sorted.get(0);
    throw new BevtConfigException(null, null, errors.size() + " configuration errors (first: " + first.path() + "):\n" + all, null);
  }
}
