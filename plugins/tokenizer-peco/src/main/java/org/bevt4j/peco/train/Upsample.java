package org.bevt4j.peco.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Module;
import org.bevt4j.peco.ResnetBlock;

/**
 * taming {@code Upsample}: nearest-neighbour 2x upsampling ({@code F.interpolate(scale_factor=2,
 * mode="nearest")}, here each row and column repeated twice) followed, with a conv, by a 3x3
 * stride-1 padding-1 conv (key {@code conv.*}). No transposed convolution is needed.
 */
public final class Upsample extends Module {
  private final Conv conv;

  public Upsample(int channels, boolean withConv) {
    conv = withConv ? child("conv", ResnetBlock.conv3(channels, channels)) : null;
  }

  /** Nearest 2x upsampling of {@code x (N, C, H, W)}. */
  public static NDArray nearest2x(NDArray x) {
    return x.repeat(2, 2).repeat(3, 2);
  }

  public NDArray forward(NDArray x) {
    NDArray up = nearest2x(x);
    return conv == null ? up : conv.forward(up);
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }
}
