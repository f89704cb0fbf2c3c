package org.bevt4j.swin.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Module;

/**
 * BEVT's image-stream {@code PatchEmbed} ({@code patch_embed_2d}): Conv2d with kernel = stride =
 * patch ({@code proj.*}) and its own optional LayerNorm ({@code norm.*}). As upstream, there is no
 * padding: a remainder of H or W that does not fill a patch is dropped by the convolution. Returns
 * channels-last {@code (B, H', W', C)}.
 */
public final class PatchEmbed2D extends Module {
  private final Conv proj;
  private final LayerNorm norm;
  private final int patch;

  public PatchEmbed2D(int patch, int inChans, int embedDim, boolean patchNorm) {
    this.patch = patch;
    this.proj = child("proj", Conv.builder(inChans, embedDim, patch, patch).optStride(patch, patch).build());
    this.norm = patchNorm ? child("norm", new LayerNorm(embedDim)) : null;
  }

  /** {@code (B, C, H, W)} → {@code (B, H', W', C0)}. */
  public NDArray forward(NDArray x) {
    Shape s = x.getShape();
    if (s.dimension() != 4) {
      throw new IllegalArgumentException("image input must be (B, C, H, W), got " + s);
    }
    if (s.get(2) < patch || s.get(3) < patch) {
      throw new IllegalArgumentException("image " + s.get(2) + "x" + s.get(3) + " is smaller than the patch " + patch);
    }
    NDArray y = proj.forward(x).transpose(0, 2, 3, 1);
    return norm == null ? y : norm.forward(y);
  }

  public Conv proj() {
    return proj;
  }
}
