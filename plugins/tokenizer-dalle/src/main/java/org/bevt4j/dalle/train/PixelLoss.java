package org.bevt4j.dalle.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.List;
import java.util.Locale;

/**
 * The dVAE reconstruction term on the decoder statistics {@code (N, 2C, H, W)} (location μ in
 * channels {@code [0, C)}, log-scale ln b in {@code [C, 2C)}) against pixels {@code x} mapped by
 * {@code map_pixels} to {@code x' = x(1 − 2ε) + ε ∈ [ε, 1 − ε]}:
 *
 * <ul>
 *   <li>{@code logit-laplace} (DALL-E): the negative log-likelihood of the logit-Laplace
 *       distribution, {@code |logit x' − μ| / b + ln b + ln 2 + ln(x'(1 − x'))} per sub-pixel,
 *       averaged (the last term does not depend on the model);
 *   <li>{@code l1} / {@code mse}: mean absolute / squared error between {@code sigmoid(μ)} and
 *       {@code x'} (ln b unused).
 * </ul>
 *
 * The reconstructed image is {@code unmap_pixels(sigmoid(μ)) = clip((sigmoid(μ) − ε)/(1 − 2ε), 0, 1)}.
 */
public enum PixelLoss {
  LOGIT_LAPLACE,
  L1,
  MSE;

  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static List<String> keys() {
    return List.of("logit-laplace", "l1", "mse");
  }

  public static PixelLoss fromKey(String key) {
    return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /**
   * The loss for statistics {@code stats (N, 2C, H, W)} and mapped pixels {@code xm (N, C, H, W)}.
   */
  public NDArray apply(NDArray stats, NDArray xm) {
    long c = xm.getShape().get(1);
    NDArray mu = location(stats, c);
    return switch (this) {
      case LOGIT_LAPLACE -> {
        NDArray lnB = stats.get(":, " + c + ":" + 2 * c);
        NDArray logit = xm.log().sub(xm.neg().add(1f).log());
        NDArray constant = xm.mul(xm.neg().add(1f)).log().add((float) Math.log(2));
        yield logit.sub(mu).abs().mul(lnB.neg().exp()).add(lnB).add(constant).mean();
      }
      case L1 -> Activation.sigmoid(mu).sub(xm).abs().mean();
      case MSE -> Activation.sigmoid(mu).sub(xm).square().mean();
    };
  }

  /** The location channels {@code [0, C)}. */
  static NDArray location(NDArray stats, long c) {
    return stats.get(":, 0:" + c);
  }

  /** {@code unmap_pixels(sigmoid(μ))}: the reconstruction in [0, 1]. */
  public static NDArray reconstruct(NDArray stats, long channels, double eps) {
    NDArray s = Activation.sigmoid(location(stats, channels));
    return s.sub((float) eps).div((float) (1 - 2 * eps)).clip(0f, 1f);
  }
}
