/**
 * Component registries: one {@link org.bevt4j.core.registry.ComponentRegistry} per extension point,
 * keyed by the {@code type} name used in configuration and recording the plugin that provides each
 * entry. Duplicate names are fatal and name both plugins; unknown names list the known ones with a
 * did-you-mean suggestion ({@link org.bevt4j.core.registry.UnknownComponentTypeException}).
 */
package org.bevt4j.core.registry;
