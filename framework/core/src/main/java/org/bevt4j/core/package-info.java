/**
 * The bevt4j runtime: {@link org.bevt4j.core.BevtRuntime} (plugin host, configuration, Guice,
 * registries, component building), {@link org.bevt4j.core.RuntimeBuildContext} and
 * {@link org.bevt4j.core.ProgressListener}. Sub-packages hold the plugin host
 * ({@code plugin}), configuration ({@code config}) and registries ({@code registry}).
 */
package org.bevt4j.core;
