/**
 * Test support for bevt4j and for third-party plugin authors: the reference-fixture reader
 * ({@link org.bevt4j.testkit.ReferenceFixture}), tensor comparison with the project tolerance
 * ({@link org.bevt4j.testkit.TensorAssert}), and a harness that loads a plugin and runs a smoke step.
 */
package org.bevt4j.testkit;
