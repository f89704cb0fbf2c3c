package org.bevt4j.api;

import com.typesafe.config.Config;
import org.pf4j.ExtensionPoint;

/**
 * Common shape of every extension point: a thin factory named by the {@code type} used in
 * configuration. Registries are keyed by {@link #name()}; a duplicate name is an error naming both
 * plugins.
 *
 * @param <T> the component type
 */
@Stable
public interface ComponentFactory<T> extends ExtensionPoint {
  /** The {@code type} name used in configuration, e.g. {@code video-swin}. */
  String name();

  /**
   * Builds the component.
   *
   * @param settings this type's own settings subtree (e.g. {@code bevt.model.backbone.video-swin}),
   *     already merged with the plugin's {@code reference.conf} defaults
   * @param ctx the device, managers and already-built components
   */
  T create(Config settings, BuildContext ctx);

  /** A one-line description shown by {@code bevt4j plugins}. */
  default String description() {
    return "";
  }
}
