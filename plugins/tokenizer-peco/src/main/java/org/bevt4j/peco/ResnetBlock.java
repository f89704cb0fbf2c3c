package org.bevt4j.peco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.GroupNorm;
import org.bevt4j.nn.Module;

/**
 * taming {@code ResnetBlock} without timestep embedding: {@code norm1} (GroupNorm), swish,
 * {@code conv1} 3x3, {@code norm2}, swish, (dropout: identity in eval), {@code conv2} 3x3; the skip
 * goes through {@code nin_shortcut} (1x1) when the channel count changes. Keys {@code norm1.*},
 * {@code conv1.*}, {@code norm2.*}, {@code conv2.*}, {@code nin_shortcut.*}.
 */
public final class ResnetBlock extends Module {
  private final GroupNorm norm1;
  private final Conv conv1;
  private final GroupNorm norm2;
  private final Conv conv2;
  private final Conv ninShortcut;

  public ResnetBlock(int in, int out, int groups, double eps) {
    norm1 = child("norm1", new GroupNorm(groups, in, eps));
    conv1 = child("conv1", conv3(in, out));
    norm2 = child("norm2", new GroupNorm(groups, out, eps));
    conv2 = child("conv2", conv3(out, out));
    ninShortcut = in != out ? child("nin_shortcut", Conv.builder(in, out, 1, 1).build()) : null;
  }

  /** {@code nn.Conv2d(in, out, kernel_size=3, stride=1, padding=1)}. */
  public static Conv conv3(int in, int out) {
    return Conv.builder(in, out, 3, 3).optPadding(1, 1).build();
  }

  /** {@code x * sigmoid(x)}. */
  public static NDArray swish(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  public NDArray forward(NDArray x) {
    NDArray h = conv1.forward(swish(norm1.forward(x)));
    h = conv2.forward(swish(norm2.forward(h)));
    NDArray skip = ninShortcut == null ? x : ninShortcut.forward(x);
    return skip.add(h);
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }
}
