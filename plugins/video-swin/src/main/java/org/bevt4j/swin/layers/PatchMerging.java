package org.bevt4j.swin.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Module;

/**
 * Swin's {@code PatchMerging} on channels-last {@code (B, D, H, W, C)}: zero-pad H and W to even
 * (bottom/right; D is not merged), concatenate on C in the order [h even, w even], [h odd, w even],
 * [h even, w odd], [h odd, w odd], then {@code norm} LayerNorm(4C) and {@code reduction}
 * Linear(4C → 2C, no bias).
 */
public final class PatchMerging extends Module {
  private final Linear reduction;
  private final LayerNorm norm;

  public PatchMerging(int dim) {
    this.reduction = child("reduction", new Linear(4L * dim, 2L * dim, false, Init.truncNormal(0.02), null));
    this.norm = child("norm", new LayerNorm(4L * dim));
  }

  public NDArray forward(NDArray x) {
    Shape s = x.getShape();
    long ph = s.get(2) % 2;
    long pw = s.get(3) % 2;
    if (ph + pw > 0) {
      x = x.pad(new Shape(0, 0, 0, pw, 0, ph), 0);
    }
    NDArray x0 = x.get(new NDIndex(":, :, 0::2, 0::2, :"));
    NDArray x1 = x.get(new NDIndex(":, :, 1::2, 0::2, :"));
    NDArray x2 = x.get(new NDIndex(":, :, 0::2, 1::2, :"));
    NDArray x3 = x.get(new NDIndex(":, :, 1::2, 1::2, :"));
    NDArray cat = NDArrays.concat(new NDList(x0, x1, x2, x3), -1);
    return reduction.forward(norm.forward(cat));
  }
}
