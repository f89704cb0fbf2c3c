package org.bevt4j.nn.fused;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * Scaled dot-product attention with an optional additive bias, in two interchangeable
 * implementations: {@code softmax(scale · q·kᵀ + bias) · v}.
 *
 * <p>{@link Mode#COMPOSITE} is the reference: DJL ops in the upstream order ({@code q·scale}, then
 * {@code matmul} with {@code kᵀ}, {@code + bias}, {@code softmax}, {@code matmul} with {@code v}).
 * {@link Mode#FUSED} runs libtorch's {@code F.scaled_dot_product_attention} through {@link
 * TorchScriptOps}: one native call forward and one backward instead of five, and on CPU (4-D
 * inputs) the flash kernel that never materialises the {@code L×S} probabilities for the
 * forward. Both give the same values and gradients (q, k, v and bias) to float rounding.
 *
 * <p>Shapes: {@code q (..., L, d)}, {@code k (..., S, d)}, {@code v (..., S, dv)}; {@code bias}
 * (nullable) broadcastable to {@code (..., L, S)}; result {@code (..., L, dv)}. For Swin window
 * attention pass {@code q, k, v} as {@code (B·nW, H, N, d)} and fold the relative-position bias
 * {@code (H, N, N)} and the shift mask {@code (nW, 1, N, N)} into one bias, e.g. by viewing q, k, v
 * as {@code (B, nW, H, N, d)} with bias {@code (nW, H, N, N)} (see {@link #windowBias}).
 */
public final class Attention {
  /** The implementation to use. */
  public enum Mode {
    /** matmul + softmax + matmul with DJL ops (the reference). */
    COMPOSITE,
    /** libtorch {@code scaled_dot_product_attention} via TorchScript. */
    FUSED;

    /**
     * Parses a config value ({@code composite} or {@code fused}, case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Mode parse(String value) {
      if (value != null) {
        for (Mode m : values()) {
          if (m.name().equalsIgnoreCase(value.trim())) {
            return m;
          }
        }
      }
      throw new IllegalArgumentException(
          "attention mode '" + value + "' is unknown; expected one of [composite, fused]");
    }

    /** The config spelling ({@code composite} / {@code fused}). */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private Attention() {}

  /**
   * {@code softmax(scale · q·kᵀ + bias) · v}.
   *
   * @param bias additive logit bias broadcastable to {@code (..., L, S)}, or null
   * @param scale the logit scale (usually {@code d^-0.5})
   */
  public static NDArray attention(
      NDArray q, NDArray k, NDArray v, NDArray bias, double scale, Mode mode) {
    int rank = q.getShape().dimension();
    if (rank < 2 || k.getShape().dimension() != rank || v.getShape().dimension() != rank) {
      throw new IllegalArgumentException(
          "attention needs q, k, v of equal rank >= 2, got q" + q.getShape() + " k" + k.getShape()
              + " v" + v.getShape());
    }
    long d = q.getShape().get(rank - 1);
    if (k.getShape().get(rank - 1) != d) {
      throw new IllegalArgumentException(
          "attention: q and k head dims differ: q" + q.getShape() + " k" + k.getShape());
    }
    if (mode == Mode.FUSED) {
      return fused(q, k, v, bias, scale, d);
    }
    return composite(q, k, v, bias, scale);
  }

  /** The reference composite implementation (upstream op order). */
  public static NDArray composite(NDArray q, NDArray k, NDArray v, NDArray bias, double scale) {
    int rank = q.getShape().dimension();
    NDArray attn = q.mul(scale).matMul(k.swapAxes(rank - 2, rank - 1));
    if (bias != null) {
      attn = attn.add(bias);
    }
    return attn.softmax(-1).matMul(v);
  }

  private static NDArray fused(NDArray q, NDArray k, NDArray v, NDArray bias, double scale, long d) {
    TorchScriptOps ops = TorchScriptOps.of(q);
    boolean defaultScale = Math.abs(scale * Math.sqrt(d) - 1.0) < 1e-12;
    if (bias == null) {
      return defaultScale ? ops.sdpa(q, k, v) : ops.sdpa(q, k, v, scale);
    }
    return defaultScale ? ops.sdpaBias(q, k, v, bias) : ops.sdpaBias(q, k, v, bias, scale);
  }

  /**
   * Folds a Swin relative-position bias {@code (H, N, N)} and an optional shifted-window mask
   * {@code (nW, N, N)} (0 / -100) into one additive bias: {@code (nW, H, N, N)} with a mask, {@code
   * (H, N, N)} without. Use it with q, k, v viewed as {@code (B, nW, H, N, d)} (mask) or {@code
   * (B·nW, H, N, d)} (no mask). Gradients flow back into the relative bias.
   */
  public static NDArray windowBias(NDArray relativeBias, NDArray mask) {
    if (mask == null) {
      return relativeBias;
    }
    return relativeBias.expandDims(0).add(mask.expandDims(1));
  }
}
