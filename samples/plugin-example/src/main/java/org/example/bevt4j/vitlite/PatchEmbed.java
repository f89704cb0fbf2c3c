package org.example.bevt4j.vitlite;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Module;

/**
 * Tubelet patch embedding, key {@code proj.weight} {@code (D, C, tubelet, p, p)} and
 * {@code proj.bias}: a Conv3d with kernel = stride = (tubelet, p, p) for clips. Images use the same
 * parameters as a Conv2d whose kernel is the 3-D kernel summed over time, which is exactly what the
 * Conv3d gives for a clip of {@code tubelet} identical frames; both streams therefore train one
 * embedding.
 */
final class PatchEmbed extends Module {
  private final Conv proj;
  private final int patch;

  PatchEmbed(int inChans, int dim, int tubelet, int patch) {
    this.patch = patch;
    this.proj = child("proj", Conv.builder(inChans, dim, tubelet, patch, patch).optStride(tubelet, patch, patch).build());
  }

  /** {@code (B, C, T, H, W)} to {@code (B, D, T/tubelet, H/p, W/p)}. */
  NDArray video(NDArray x) {
    return proj.forward(x);
  }

  /** {@code (B, C, H, W)} to {@code (B, D, H/p, W/p)}. */
  NDArray image(NDArray x) {
    NDArray w2d = proj.weight().array().sum(new int[] {2});
    Shape s = new Shape(patch, patch);
    return Conv2d.conv2d(x, w2d, proj.bias().array(), s, new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
  }
}
