package org.bevt4j.core.registry;

import java.util.Collection;
import java.util.List;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.io.Names;

/**
 * A configured {@code type} that no installed extension provides. Its message reads:
 * {@code backbone type "video-swn" (run.conf: 4) is unknown; known: [timesformer, video-swin]; did
 * you mean "video-swin"?}
 */
public class UnknownComponentTypeException extends BevtConfigException {
  private final String message;

  /**
   * @param point the extension point as users know it ({@code backbone}, {@code image decoder})
   * @param path the configuration key that named the type (may be null)
   * @param origin where that key was set ({@code run.conf: 4}; may be null)
   * @param type the unknown name
   * @param known the names that are available
   * @param notes extra sentences (e.g. plugins that failed to load), may be empty
   */
  public UnknownComponentTypeException(
      String point, String path, String origin, String type, Collection<String> known, List<String> notes) {
    super(path, origin, point + " type \"" + type + "\" is unknown", "known: " + known);
    StringBuilder sb = new StringBuilder(point).append(" type \"").append(type).append('"');
    if (origin != null && !origin.isEmpty()) {
      sb.append(" (").append(origin).append(')');
    }
    sb.append(" is unknown; known: ").append(known.stream().sorted().toList());
    sb.append(Names.didYouMean(type, known));
    if (known.isEmpty()) {
      sb.append("; no installed plugin provides a ").append(point).append(" (bevt4j plugins lists what is installed)");
    }
    for (String note : notes) {
      sb.append("; ").append(note);
    }
    this.message = sb.toString();
  }

  @Override
  public String getMessage() {
    return message;
  }
}
