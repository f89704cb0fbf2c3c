package org.bevt4j.swin.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Module;

/**
 * Video Swin's {@code PatchEmbed3D}: zero-pad T, H, W at the end to multiples of the patch, Conv3d
 * with kernel = stride = patch ({@code proj.*}), then the optional LayerNorm over C ({@code
 * norm.*}). Returns channels-last {@code (B, D', H', W', C)}.
 */
public final class PatchEmbed3D extends Module {
  private final Conv proj;
  private final LayerNorm norm;
  private final int[] patch;

  public PatchEmbed3D(int[] patch, int inChans, int embedDim, boolean patchNorm) {
    this.patch = patch.clone();
    this.proj =
        child("proj", Conv.builder(inChans, embedDim, patch[0], patch[1], patch[2]).optStride(patch[0], patch[1], patch[2]).build());
    this.norm = patchNorm ? child("norm", new LayerNorm(embedDim)) : null;
  }

  /** {@code (B, C, T, H, W)} → {@code (B, D', H', W', C0)}. */
  public NDArray forward(NDArray x) {
    Shape s = x.getShape();
    if (s.dimension() != 5) {
      throw new IllegalArgumentException("video input must be (B, C, T, H, W), got " + s);
    }
    long pt = pad(s.get(2), patch[0]);
    long ph = pad(s.get(3), patch[1]);
    long pw = pad(s.get(4), patch[2]);
    if (pt + ph + pw > 0) {
      x = x.pad(new Shape(0, pw, 0, ph, 0, pt), 0);
    }
    NDArray y = proj.forward(x).transpose(0, 2, 3, 4, 1);
    return norm == null ? y : norm.forward(y);
  }

  /** Token grid (D', H', W') for an input of T x H x W. */
  public long[] grid(long t, long h, long w) {
    return new long[] {ceil(t, patch[0]), ceil(h, patch[1]), ceil(w, patch[2])};
  }

  private static long pad(long n, int p) {
    return (p - n % p) % p;
  }

  private static long ceil(long n, int p) {
    return (n + p - 1) / p;
  }

  public Conv proj() {
    return proj;
  }
}
