package org.bevt4j.swin;

import ai.djl.ndarray.NDArray;

/**
 * Receives intermediate tensors of a forward pass under upstream module names (for bisecting
 * against reference {@code mid.*} captures). Names and layouts:
 *
 * <ul>
 *   <li>{@code patch_embed} / {@code patch_embed_2d}: patch embedding (with its norm), channels-first;
 *   <li>{@code layers.i.blocks.j}: block output, channels-last ({@code (B,D,H,W,C)}, images {@code (B,H,W,C)});
 *   <li>{@code layers.i.x}: stage output before PatchMerging, channels-first;
 *   <li>{@code layers.i.x_down} and {@code layers.i}: stage output after PatchMerging (= {@code x}
 *       for the last stage), channels-first;
 *   <li>{@code layers.i.attn_mask}: the stage's shifted-window mask (nW, N, N), when one is used.
 * </ul>
 */
@FunctionalInterface
public interface Taps {
  /** No capture. */
  Taps NONE = (name, value) -> {};

  void tap(String name, NDArray value);
}
