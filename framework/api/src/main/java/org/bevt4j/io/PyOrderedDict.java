package org.bevt4j.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Python {@code collections.OrderedDict} from a pickle: an insertion-ordered map that also keeps
 * the attributes BUILD gives it, such as the {@code _metadata} that {@code nn.Module.state_dict()}
 * attaches (module path to {@code {'version': n}}).
 */
public final class PyOrderedDict extends LinkedHashMap<Object, Object> {
  private static final long serialVersionUID = 1L;
  private final Map<String, Object> attributes = new LinkedHashMap<>();

  /** Attributes set by BUILD (e.g. {@code _metadata}); empty when there were none. */
  public Map<String, Object> attributes() {
    return Collections.unmodifiableMap(attributes);
  }

  void build(Object state) {
    if (state instanceof Map<?, ?> m) {
      m.forEach((k, v) -> attributes.put(String.valueOf(k), v));
    } else if (state instanceof Object[] t && t.length == 2 && (t[0] == null || t[0] instanceof Map)
        && (t[1] == null || t[1] instanceof Map)) {
      for (Object part : t) {
        if (part != null) {
          build(part);
        }
      }
    } else if (state != null) {
      throw new IllegalArgumentException("an OrderedDict cannot take BUILD state of type " + PickleTypes.describe(state));
    }
  }
}
