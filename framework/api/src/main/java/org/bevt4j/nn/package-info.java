/**
 * Reusable neural-network building blocks for backbones and tokenizers: a {@link
 * org.bevt4j.nn.Module} base (a DJL block whose parameters carry upstream dotted state-dict names),
 * linear/conv/norm layers, MLP, DropPath, and the ops DJL lacks (roll, transposed convolution).
 * {@link org.bevt4j.nn.Autocast} runs the Linear/Conv/attention products of these layers in float16
 * (float32 master weights, casts inside the autograd graph) for mixed-precision training.
 */
package org.bevt4j.nn;
