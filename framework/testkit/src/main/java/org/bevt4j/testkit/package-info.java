/**
 * Test support for bevt4j and for third-party plugin authors: the reference-fixture reader
 * ({@link org.bevt4j.testkit.ReferenceFixture}), tensor comparison with the project tolerance
 * ({@link org.bevt4j.testkit.TensorAssert}), and a smoke harness for backbone plugins
 * ({@link org.bevt4j.testkit.PluginSmokeHarness}, with {@link org.bevt4j.testkit.PluginReference} to
 * read a plugin's own {@code reference.conf} and {@link org.bevt4j.testkit.PluginExtensions} to find
 * its {@code @Extension} factories through {@code META-INF/extensions.idx}).
 */
package org.bevt4j.testkit;
