package org.bevt4j.swin.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Module;

/**
 * Swin's {@code PatchMerging} on channels-last {@code (B, D, H, W, C)}: zero-pad H and W to even
 * (bottom/right; D is not merged), concatenate on C in the order [h even, w even], [h odd, w even],
 * [h even, w odd], [h odd, w odd], then {@code norm} LayerNorm(4C) and {@code reduction}
 * Linear(4C → 2C, no bias). The four strided slices and their concat are computed as one reshape and
 * permute ((h, 2, w, 2) → (h, w, 2<sub>w</sub>, 2<sub>h</sub>)), which gives the same channel order
 * with a single copy (and a single-copy backward).
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
    Shape p = x.getShape();
    long b = p.get(0);
    long d = p.get(1);
    long h2 = p.get(2) / 2;
    long w2 = p.get(3) / 2;
    long c = p.get(4);
    // channel block (2*wOdd + hOdd): [h even, w even], [h odd, w even], [h even, w odd], [h odd, w odd]
    NDArray cat = x.reshape(new Shape(b, d, h2, 2, w2, 2, c)).transpose(0, 1, 2, 4, 5, 3, 6).reshape(b, d, h2, w2, 4 * c);
    return reduction.forward(norm.forward(cat));
  }
}
