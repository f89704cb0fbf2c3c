package org.bevt4j.peco.train;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.bevt4j.nn.Scalars;

/**
 * The perceptual distance between two images through the multi-scale features of a frozen network
 * (LPIPS without learned channel weights): per layer, features are unit-normalised over channels
 * ({@code f / (||f||₂ + 1e-10)}) when {@code normalize}, squared differences are summed over
 * channels and averaged over batch and positions; layers are summed.
 */
public final class PerceptualLoss {
  private PerceptualLoss() {}

  /** Distance between feature lists {@code a} and {@code b} (same shapes, shallow to deep). */
  public static NDArray distance(List<NDArray> a, List<NDArray> b, boolean normalize) {
    if (a.size() != b.size() || a.isEmpty()) {
      throw new IllegalArgumentException("perceptual loss: expected two equally long, non-empty feature lists, found "
          + a.size() + " and " + b.size());
    }
    NDArray total = null;
    for (int i = 0; i < a.size(); i++) {
      NDArray fa = normalize ? unit(a.get(i)) : a.get(i);
      NDArray fb = normalize ? unit(b.get(i)) : b.get(i);
      NDArray d = fa.sub(fb).square().sum(new int[] {1}).mean();
      total = total == null ? d : total.add(d);
    }
    return total;
  }

  private static NDArray unit(NDArray f) {
    return f.div(Scalars.add(f.square().sum(new int[] {1}, true).sqrt(), 1e-10));
  }
}
