package org.bevt4j.peco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Module;

/**
 * taming {@code Downsample}: with a conv, an asymmetric zero pad {@code (0, 1, 0, 1)} (right and
 * bottom only) then a 3x3 stride-2 conv without padding (key {@code conv.*}); without, a 2x2
 * stride-2 average pool (no keys). Either way H and W halve (rounding down).
 */
public final class Downsample extends Module {
  private final Conv conv;

  public Downsample(int channels, boolean withConv) {
    conv = withConv ? child("conv", Conv.builder(channels, channels, 3, 3).optStride(2, 2).build()) : null;
  }

  public NDArray forward(NDArray x) {
    if (conv == null) {
      return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
    }
    // F.pad order: (left, right, top, bottom) of the last two axes.
    return conv.forward(x.pad(new Shape(0, 1, 0, 1), 0));
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }
}
