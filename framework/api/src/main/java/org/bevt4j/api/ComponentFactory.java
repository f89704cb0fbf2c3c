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

  /**
   * Checks {@code settings} — the same subtree {@link #create} receives — without building
   * anything: typically by building the factory's settings record, so that {@code bevt4j config
   * validate} and the start of every command report type, range and cross-field errors before any
   * work. Must not read files, create tensors or depend on other components. The default accepts
   * everything (errors then surface in {@link #create}).
   *
   * @throws BevtConfigException naming the key, its origin, the value and the constraint
   */
  default void validate(Config settings) {}

  /** A one-line description shown by {@code bevt4j plugins}. */
  default String description() {
    return "";
  }
}
