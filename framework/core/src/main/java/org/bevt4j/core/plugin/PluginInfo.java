package org.bevt4j.core.plugin;

import java.nio.file.Path;
import org.pf4j.PluginWrapper;

/**
 * What {@code bevt4j plugins} shows for one loaded plugin.
 *
 * @param id plugin id
 * @param version plugin version
 * @param provider plugin provider
 * @param description one-line description
 * @param requires the framework version range it requires
 * @param state PF4J state name (STARTED, FAILED, DISABLED, ...)
 * @param path where it was loaded from
 * @param error why it is not started (null when started)
 */
public record PluginInfo(
    String id, String version, String provider, String description, String requires, String state, Path path, String error) {

  /** Describes a PF4J plugin; {@code invalidReason} explains a DISABLED-as-invalid plugin. */
  public static PluginInfo of(PluginWrapper w, String invalidReason) {
    var d = w.getDescriptor();
    String error = null;
    if (w.getPluginState().isFailed() && w.getFailedException() != null) {
      error = "failed to start: " + GuiceExtensionFactory.describe(w.getFailedException());
    } else if (w.getPluginState().isDisabled()) {
      error = invalidReason != null ? invalidReason : "disabled (plugins/disabled.txt or enabled.txt)";
    }
    return new PluginInfo(
        d.getPluginId(),
        d.getVersion(),
        d.getProvider(),
        d.getPluginDescription(),
        d.getRequires(),
        w.getPluginState().toString(),
        w.getPluginPath(),
        error);
  }

  public boolean started() {
    return "STARTED".equals(state);
  }
}
