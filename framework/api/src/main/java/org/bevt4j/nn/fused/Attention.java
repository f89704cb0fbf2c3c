package org.bevt4j.nn.fused;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Locale;
import org.bevt4j.nn.Autocast;
import org.bevt4j.nn.Scalars;

/**
 * Scaled dot-product attention with an optional additive bias, in two interchangeable
 * implementations: {@code softmax(scale · q·kᵀ + bias) · v}.
 *
 * <p>{@link Mode#COMPOSITE} is the reference: DJL ops in the upstream order ({@code q·scale}, then
 * {@code matmul} with {@code kᵀ}, {@code + bias}, {@code softmax}, {@code matmul} with {@code v}).
 * {@link Mode#FUSED} runs libtorch's {@code F.scaled_dot_product_attention} through {@link
 * TorchScriptOps}: one native call forward and one backward instead of five. Both give the same
 * values and gradients (q, k, v and bias) to float rounding. Inside an {@link Autocast} float16
 * region both compute the products in float16 (the composite keeps the softmax in float32) and
 * return float32.
 *
 * <p>Which libtorch kernel runs (libtorch 2.7 {@code sdp_utils_cpp}): on CPU the flash kernel,
 * which never materialises the {@code L×S} probabilities, is taken only for 4-D q, k, v and a bias
 * that is absent or 2-D/4-D (broadcast over batch and heads allowed) <b>and does not require
 * grad</b>; otherwise libtorch uses its math path (the same products as the composite, inside one
 * call). A lower-rank bias is given leading singleton dims here, so {@code (H, N, N)} becomes {@code
 * (1, H, N, N)}. A trainable relative-position bias (Swin training) therefore always takes the math
 * path on CPU; attention without bias (TimeSformer) or with a frozen bias gets the flash kernel.
 *
 * <p>Shapes: {@code q (..., L, d)}, {@code k (..., S, d)}, {@code v (..., S, dv)}; {@code bias}
 * (nullable) broadcastable to {@code (..., L, S)}; result {@code (..., L, dv)}. For Swin windows
 * use {@link #windowAttention}.
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
    if (bias != null && bias.getShape().dimension() > rank) {
      throw new IllegalArgumentException(
          "attention bias" + bias.getShape() + " has more dims than q" + q.getShape());
    }
    return mode == Mode.FUSED ? fused(q, k, v, bias, scale, d) : composite(q, k, v, bias, scale);
  }

  /** The reference composite implementation (upstream op order). */
  public static NDArray composite(NDArray q, NDArray k, NDArray v, NDArray bias, double scale) {
    int rank = q.getShape().dimension();
    NDArray attn = Autocast.matMul(Scalars.mul(q, scale), k.swapAxes(rank - 2, rank - 1));
    if (bias != null) {
      attn = attn.add(bias);
    }
    return Autocast.matMul(attn.softmax(-1), v);
  }

  /**
   * Swin window attention on {@code (B·nW, H, N, d)} windows (windows of one clip consecutive, as
   * produced by the window partition), with the relative-position bias {@code (H, N, N)} and, for
   * shifted blocks, the region mask {@code (nW, N, N)} of 0 / -100 (null for unshifted blocks).
   * COMPOSITE follows the upstream order exactly (bias added to the logits, then the logits viewed
   * as {@code (B, nW, H, N, N)} and the mask added); FUSED folds both into one bias ({@link
   * #windowBias}) and views q, k, v as {@code (B, nW, H, N, d)} when masked. Returns {@code (B·nW,
   * H, N, dv)}.
   */
  public static NDArray windowAttention(
      NDArray q, NDArray k, NDArray v, NDArray relativeBias, NDArray mask, double scale,
      Mode mode) {
    Shape qs = q.getShape();
    if (qs.dimension() != 4) {
      throw new IllegalArgumentException("window attention needs q (B*nW, H, N, d), got q" + qs);
    }
    if (mask == null) {
      return attention(q, k, v, relativeBias, scale, mode);
    }
    long nw = mask.getShape().get(0);
    if (qs.get(0) % nw != 0) {
      throw new IllegalArgumentException(
          "window batch " + qs.get(0) + " of q" + qs + " is not a multiple of the " + nw
              + " windows of mask" + mask.getShape());
    }
    long b = qs.get(0) / nw;
    if (mode == Mode.COMPOSITE) {
      NDArray attn = Autocast.matMul(Scalars.mul(q, scale), k.swapAxes(2, 3));
      if (relativeBias != null) {
        attn = attn.add(relativeBias);
      }
      long n = qs.get(2);
      long s = k.getShape().get(2);
      attn = attn.reshape(b, nw, qs.get(1), n, s).add(mask.expandDims(1));
      return Autocast.matMul(attn.reshape(b * nw, qs.get(1), n, s).softmax(-1), v);
    }
    NDArray bias = relativeBias == null ? mask.expandDims(1) : windowBias(relativeBias, mask);
    NDArray out = attention(view5(q, b, nw), view5(k, b, nw), view5(v, b, nw), bias, scale, mode);
    Shape os = out.getShape();
    return out.reshape(b * nw, os.get(2), os.get(3), os.get(4));
  }

  private static NDArray view5(NDArray x, long b, long nw) {
    Shape s = x.getShape();
    return x.reshape(b, nw, s.get(1), s.get(2), s.get(3));
  }

  private static NDArray fused(NDArray q, NDArray k, NDArray v, NDArray bias, double scale, long d) {
    TorchScriptOps ops = TorchScriptOps.of(q);
    int rank = q.getShape().dimension();
    if (bias != null && bias.getShape().dimension() < rank) {
      // libtorch's fused CPU kernel takes only a 2-D or 4-D mask: prepend singleton dims (a view)
      long[] b = bias.getShape().getShape();
      long[] s = new long[rank];
      Arrays.fill(s, 1L);
      System.arraycopy(b, 0, s, rank - b.length, b.length);
      bias = bias.reshape(new Shape(s));
    }
    if (Autocast.isFp16()) {
      return ops.sdpaHalf(q, k, v, bias, scale);
    }
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
