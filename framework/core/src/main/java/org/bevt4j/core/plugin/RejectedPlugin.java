package org.bevt4j.core.plugin;

import java.nio.file.Path;

/**
 * A plugin that was found but not loaded (bundles a host library, bad descriptor, duplicate id,
 * missing dependency, unreadable zip).
 *
 * @param path the zip or folder found in the plugins directory
 * @param pluginId the id from its descriptor, or null when it could not be read
 * @param reason a one-line explanation for the user
 */
public record RejectedPlugin(Path path, String pluginId, String reason) {
  /** The id when known, else the file name. */
  public String label() {
    return pluginId != null ? pluginId : String.valueOf(path.getFileName());
  }
}
