package org.bevt4j.core.config;

import com.typesafe.config.Config;

/**
 * An eager check of a subsystem's typed settings (e.g. the trainer building its settings records),
 * run by {@code BevtRuntime.validate()} and so by {@code bevt4j config validate} and before a run
 * starts: type and range errors surface before any work.
 *
 * <p>Register an implementation (public, no-arg constructor) on the host class path in
 * {@code META-INF/services/org.bevt4j.core.config.ConfigCheck}.
 */
public interface ConfigCheck {
  /**
   * Builds the settings from the resolved root configuration.
   *
   * @throws org.bevt4j.api.BevtConfigException naming the key, origin and constraint
   */
  void check(Config root);
}
