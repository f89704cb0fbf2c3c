/**
 * Fused libtorch ops for DJL: a TorchScript op module generated and loaded without Python ({@link
 * org.bevt4j.nn.fused.TorchScriptArchive}, {@link org.bevt4j.nn.fused.TorchScriptOps}: scaled
 * dot-product attention with additive bias, roll, transposed convolution, in-graph fp16/fp32 casts
 * and float16 linear/matmul/conv/attention that return float32,
 * all differentiable) and {@link org.bevt4j.nn.fused.Attention}, one attention entry point with a
 * composite (reference) and a fused implementation selectable by configuration.
 */
package org.bevt4j.nn.fused;
