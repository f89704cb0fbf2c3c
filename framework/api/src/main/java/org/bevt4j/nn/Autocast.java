package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import org.bevt4j.nn.fused.TorchScriptOps;

/**
 * Manual float16 mixed precision ("autocast") for the layers of {@code org.bevt4j.nn}: while a
 * {@linkplain #fp16() float16 region} is open on the current thread, the compute-heavy ops
 * ({@link Linear}, {@link Conv}, the attention matmuls and the fused attention, the
 * kernel-equals-stride transposed convolution) cast their float32 operands to float16 <b>inside the
 * autograd graph</b>, compute in float16 and cast the result back to float32. Everything else
 * (LayerNorm, GroupNorm, softmax of the composite attention, GELU, residual adds, the loss) stays
 * in float32, as PyTorch's autocast does.
 *
 * <p>The parameters remain the float32 "master weights" and the autograd leaves: the casts run
 * through {@link TorchScriptOps} (DJL's {@code toType} detaches gradients), so gradients arrive on
 * the parameters as float32 and the optimizer is unchanged. Outside a region every op is the plain
 * float32 op, bit for bit.
 *
 * <p>The state is per thread (like PyTorch's): open the region on the thread that runs the forward.
 * Regions nest; closing one restores the previous state.
 *
 * <pre>{@code
 * try (Autocast.Region r = Autocast.fp16()) {
 *   NDArray logits = model.forward(x);     // Linear/Conv/attention in float16, returns float32
 * }
 * NDArray loss = ...;                       // float32
 * }</pre>
 *
 * <p>Float16 has a range of ±65504: the loss must be scaled (dynamic loss scaling) so that small
 * gradients do not flush to zero, and a step whose gradients overflow must be skipped.
 */
public final class Autocast {
  private static final ThreadLocal<Boolean> FP16 = ThreadLocal.withInitial(() -> Boolean.FALSE);

  private Autocast() {}

  /** An open region; {@link #close()} restores the state from before it was opened. */
  public static final class Region implements AutoCloseable {
    private final boolean previous;
    private boolean closed;

    private Region(boolean previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        FP16.set(previous);
      }
    }
  }

  /** Opens a float16 region on this thread. */
  public static Region fp16() {
    return enable(true);
  }

  /** Opens a region that is float16 when {@code fp16} is true, else float32 (e.g. inside fp16 code). */
  public static Region enable(boolean fp16) {
    Region r = new Region(FP16.get());
    FP16.set(fp16);
    return r;
  }

  /** Whether a float16 region is open on this thread. */
  public static boolean isFp16() {
    return FP16.get();
  }

  /** {@code F.linear(x, w, b)}: float32, or float16 inside a region. {@code b} may be null. */
  public static NDArray linear(NDArray x, NDArray w, NDArray b) {
    if (isFp16()) {
      return TorchScriptOps.of(x).linearHalf(x, w, b);
    }
    return ai.djl.nn.core.Linear.linear(x, w, b).singletonOrThrow();
  }

  /** {@code a @ b} (broadcasting matmul): float32, or float16 inside a region. */
  public static NDArray matMul(NDArray a, NDArray b) {
    if (isFp16()) {
      return TorchScriptOps.of(a).matMulHalf(a, b);
    }
    return a.matMul(b);
  }

  /**
   * {@code F.conv1d/2d/3d} (rank from the weight {@code (Cout, Cin/groups, k...)}): float32, or
   * float16 inside a region. {@code b} may be null.
   */
  public static NDArray conv(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape dilation, int groups) {
    int dims = w.getShape().dimension() - 2;
    if (isFp16()) {
      return TorchScriptOps.of(x).convHalf(x, w, b, stride.getShape(), padding.getShape(), dilation.getShape(), groups);
    }
    return switch (dims) {
      case 1 -> Conv1d.conv1d(x, w, b, stride, padding, dilation, groups).singletonOrThrow();
      case 2 -> Conv2d.conv2d(x, w, b, stride, padding, dilation, groups).singletonOrThrow();
      case 3 -> Conv3d.conv3d(x, w, b, stride, padding, dilation, groups).singletonOrThrow();
      default -> throw new IllegalArgumentException("conv needs a 1-d, 2-d or 3-d kernel, got weight " + w.getShape());
    };
  }
}
