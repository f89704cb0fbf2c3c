package org.bevt4j.api;

import org.pf4j.ExtensionPoint;

/**
 * Lets a plugin add bindings to the host's single Guice injector. Read before the injector is
 * created. The returned object must be a {@code com.google.inject.Module} (Guice is loaded by the
 * host class loader; declare it {@code provided}).
 */
@Stable
public interface GuiceModuleContribution extends ExtensionPoint {
  /** A {@code com.google.inject.Module}. */
  Object module();
}
