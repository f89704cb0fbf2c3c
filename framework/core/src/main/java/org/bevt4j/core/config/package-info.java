/**
 * Configuration loading and validation: {@link org.bevt4j.core.config.ConfigLoader} (layer order
 * core reference → plugin references → application.conf → user file → {@code --set} → system
 * properties → resolve), {@link org.bevt4j.core.config.ConfigValidator} (unknown keys with origin and
 * did-you-mean, kind mismatches), {@link org.bevt4j.core.config.Overrides} ({@code --set} parsing),
 * {@link org.bevt4j.core.config.RuntimeSettings} and
 * {@link org.bevt4j.core.config.ResolvedConfigWriter} ({@code config.resolved.conf}).
 */
package org.bevt4j.core.config;
