/**
 * The stable surface plugins compile against: the extension points (thin factories keyed by the
 * {@code type} name used in configuration), the components they create, and the value types that
 * flow between them ({@link org.bevt4j.api.TokenGrid}, {@link org.bevt4j.api.BackboneOutput},
 * {@link org.bevt4j.api.StreamKind}, {@link org.bevt4j.api.HostTensor}).
 *
 * <p>Everything in {@code org.bevt4j.api}, {@code org.bevt4j.nn} and {@code org.bevt4j.io} is loaded
 * by the host class loader only; a plugin must declare {@code bevt4j-api} with scope {@code provided}.
 */
package org.bevt4j.api;
