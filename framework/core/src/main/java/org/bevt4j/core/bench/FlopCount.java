package org.bevt4j.core.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An analytic FLOP count with a named breakdown, plus formulas for the layers that dominate
 * transformer cost.
 *
 * <p>Conventions:
 *
 * <ul>
 *   <li>One multiply-add is 2 FLOPs. Only matmul-like work is counted (linear, matmul, conv,
 *       attention products); bias adds, norms, softmax, activations, residual adds and data
 *       movement are left out (they are O(elements), a few percent of a transformer's O(elements ·
 *       width) matmul work). Papers' "GFLOPs" for Swin/ViT count multiply-adds: {@link #macs()}.
 *   <li>Forward FLOPs are what the helpers return. Backward ≈ 2× forward (one product for the
 *       input gradient, one for the weight gradient), so a training step ≈ 3× forward ({@link
 *       #trainingStep}). Parts that run without gradients (a frozen tokenizer) count 1×; the first
 *       layer's unneeded input gradient is not subtracted.
 * </ul>
 *
 * Counts are exact {@code long}s; an overflow throws.
 */
public final class FlopCount {
  private final Map<String, Long> parts = new LinkedHashMap<>();

  /** Adds {@code flops} under {@code part} (accumulating if the part exists). */
  public FlopCount add(String part, long flops) {
    if (flops < 0) {
      throw new IllegalArgumentException("FLOPs of part " + part + " must be >= 0, got " + flops);
    }
    parts.merge(part, flops, Math::addExact);
    return this;
  }

  /** Adds every part of {@code other}, each name prefixed with {@code prefix}. */
  public FlopCount addAll(String prefix, FlopCount other) {
    other.parts.forEach((k, v) -> add(prefix + k, v));
    return this;
  }

  /** The parts in insertion order (unmodifiable). */
  public Map<String, Long> parts() {
    return Collections.unmodifiableMap(parts);
  }

  /** Sum of all parts, in FLOPs. */
  public long total() {
    long t = 0;
    for (long v : parts.values()) {
      t = Math.addExact(t, v);
    }
    return t;
  }

  /** Sum of the parts whose name starts with {@code prefix}. */
  public long total(String prefix) {
    long t = 0;
    for (Map.Entry<String, Long> e : parts.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        t = Math.addExact(t, e.getValue());
      }
    }
    return t;
  }

  /** Total in GFLOP (1e9 FLOPs). */
  public double gflop() {
    return total() / 1e9;
  }

  /** Total multiply-adds (FLOPs / 2), the unit of papers' "GFLOPs" columns. */
  public long macs() {
    return total() / 2;
  }

  /** {@code (m×k)·(k×n)}, {@code batch} times: {@code 2·batch·m·k·n}. */
  public static long matmul(long batch, long m, long k, long n) {
    return mul(2, batch, m, k, n);
  }

  /** A linear layer {@code in → out} applied to {@code tokens} rows: {@code 2·tokens·in·out}. */
  public static long linear(long tokens, long in, long out) {
    return mul(2, tokens, in, out);
  }

  /**
   * A convolution: {@code 2·batch·cout·prod(outSpatial)·(cin/groups)·prod(kernel)}.
   *
   * @param outSpatial output spatial sizes (any number of dims)
   * @param kernel kernel sizes, same length
   */
  public static long conv(
      long batch, long cin, long cout, long[] outSpatial, long[] kernel, long groups) {
    requireSameLength(outSpatial, kernel);
    if (groups <= 0 || cin % groups != 0) {
      throw new IllegalArgumentException("conv groups " + groups + " must divide cin " + cin);
    }
    return mul(2, batch, cout, prod(outSpatial), cin / groups, prod(kernel));
  }

  /**
   * A transposed convolution: every input position scatters {@code cin·cout·prod(kernel)}
   * multiply-adds: {@code 2·batch·cin·prod(inSpatial)·cout·prod(kernel)}.
   */
  public static long convTranspose(
      long batch, long cin, long cout, long[] inSpatial, long[] kernel) {
    requireSameLength(inSpatial, kernel);
    return mul(2, batch, cin, prod(inSpatial), cout, prod(kernel));
  }

  /**
   * Attention products for {@code batch·heads} heads: {@code q·kᵀ} ({@code lq×dk×lk}) plus {@code
   * p·v} ({@code lq×lk×dv}): {@code 2·batch·heads·lq·lk·(dk+dv)}. Softmax and scaling excluded.
   */
  public static long attention(long batch, long heads, long lq, long lk, long dk, long dv) {
    return mul(2, batch, heads, lq, lk, Math.addExact(dk, dv));
  }

  /** Backward FLOPs under the 2× convention. */
  public static long backward(long forwardFlops) {
    return Math.multiplyExact(2, forwardFlops);
  }

  /** Forward + backward FLOPs (3× forward). */
  public static long trainingStep(long forwardFlops) {
    return Math.multiplyExact(3, forwardFlops);
  }

  private static long prod(long[] xs) {
    long p = 1;
    for (long x : xs) {
      if (x < 0) {
        throw new IllegalArgumentException("sizes must be >= 0, got " + x);
      }
      p = Math.multiplyExact(p, x);
    }
    return p;
  }

  private static long mul(long... xs) {
    return prod(xs);
  }

  private static void requireSameLength(long[] a, long[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "spatial sizes and kernel need the same number of dims: " + a.length + " vs " + b.length);
    }
  }

  @Override
  public String toString() {
    return String.format("%.3f GFLOP %s", gflop(), parts);
  }
}
