package org.bevt4j.api;

import ai.djl.ndarray.NDArray;
import org.bevt4j.io.StateDict;
import org.bevt4j.nn.ParameterOwner;

/**
 * A video transformer shared by both BEVT streams. Implementations are {@link org.bevt4j.nn.Module}s
 * (DJL blocks) whose parameters carry the upstream state-dict names, so converted checkpoints load
 * by name.
 *
 * <p>Masks are boolean {@code (B, t, h, w)} (video) or {@code (B, h, w)} (image) arrays on the
 * backbone's {@linkplain #maskGrid mask grid} (BEVT: the 16-pixel grid, 8x14x14 for a 16x224x224
 * clip); {@code true} marks a masked position, which the backbone replaces by its learned mask token.
 */
@Stable
public interface Backbone extends ParameterOwner {
  /** Forwards a video batch {@code (B, 3, T, H, W)}; {@code mask} may be null. */
  BackboneOutput forwardVideo(NDArray video, NDArray mask, boolean training);

  /** Whether {@link #forwardImage} is supported (the BEVT image stream). */
  default boolean supportsImages() {
    return false;
  }

  /** Forwards an image batch {@code (B, 3, H, W)}; {@code mask} may be null. */
  BackboneOutput forwardImage(NDArray images, NDArray mask, boolean training);

  /**
   * The grid masks are given on, for an input of spatial size {@code height x width} and
   * {@code frames} frames (1 for images).
   */
  TokenGrid maskGrid(StreamKind stream, int frames, int height, int width);

  /** The decoder type used when the config says {@code default}. */
  String defaultDecoder(StreamKind stream);

  /**
   * Turns the state of an image-stream-only stage (e.g. BEVT's image stage, or 2-D Swin/ViT
   * weights) into a state for this backbone (BEVT {@code inflate_weights}); keys this backbone does
   * not know are dropped. The default returns the input unchanged.
   */
  default StateDict inflate(StateDict imageState) {
    return imageState;
  }

  /** The feature width of the backbone's final output. */
  int numFeatures();
}
