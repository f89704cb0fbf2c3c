package org.bevt4j.peco.train;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Locale;

/** The pixel reconstruction term, on the model's input convention (e.g. [-1, 1]). */
public enum ReconstructionLoss {
  /** Mean absolute error (taming's VQGAN). */
  L1,
  /** Mean squared error (the original VQ-VAE). */
  L2;

  /** The configuration spelling ({@code l1}, {@code l2}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static List<String> keys() {
    return List.of("l1", "l2");
  }

  public static ReconstructionLoss fromKey(String key) {
    return valueOf(key.toUpperCase(Locale.ROOT));
  }

  /** The loss between reconstruction {@code xr} and target {@code x}. */
  public NDArray apply(NDArray xr, NDArray x) {
    NDArray d = xr.sub(x);
    return this == L1 ? d.abs().mean() : d.square().mean();
  }
}
