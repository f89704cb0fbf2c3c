package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with scalars that is safe under autograd.
 *
 * <p><b>DJL pitfall (verified with DJL 0.35.1 / PyTorch 2.7.1 on CPU):</b> {@code
 * NDArray.mul(Number)}, {@code div(Number)}, {@code add(Number)} and {@code sub(Number)} create the
 * scalar from a Java direct buffer ({@code from_blob}, no copy) and close it right away. When
 * autograd saves that scalar for the backward pass ({@code x * s} and {@code x / s} do, when
 * {@code x} requires a gradient), a garbage collection between forward and backward frees the
 * buffer and the backward reads freed memory: gradients become garbage or NaN, at random. These
 * helpers put the scalar in engine-owned memory ({@code torch.full}) instead. Use them for every
 * scalar operand on a tensor that may require a gradient.
 */
public final class Scalars {
  private Scalars() {}

  /** A 0-d engine-owned array holding {@code v}, with {@code like}'s dtype, manager and device. */
  public static NDArray of(NDArray like, double v) {
    return like.getManager().full(new Shape(), (float) v, like.getDataType());
  }

  /** {@code x * v}. */
  public static NDArray mul(NDArray x, double v) {
    return x.mul(of(x, v));
  }

  /** {@code x / v}. */
  public static NDArray div(NDArray x, double v) {
    return x.div(of(x, v));
  }

  /** {@code x + v}. */
  public static NDArray add(NDArray x, double v) {
    return x.add(of(x, v));
  }

  /** {@code x - v}. */
  public static NDArray sub(NDArray x, double v) {
    return x.sub(of(x, v));
  }
}
