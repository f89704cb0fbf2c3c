/**
 * Reusable neural-network building blocks for backbones and tokenizers: a {@link
 * org.bevt4j.nn.Module} base (a DJL block whose parameters carry upstream dotted state-dict names),
 * linear/conv/norm layers, MLP, DropPath, and the ops DJL lacks (roll, transposed convolution).
 */
package org.bevt4j.nn;
