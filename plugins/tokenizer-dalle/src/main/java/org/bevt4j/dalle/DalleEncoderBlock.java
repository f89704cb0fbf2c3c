package org.bevt4j.dalle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Scalars;

/**
 * Upstream {@code EncoderBlock(n_in, n_out, n_layers)}: {@code id_path(x) + post_gain *
 * res_path(x)}, where {@code id_path} is a 1x1 conv only when {@code n_in != n_out} (identity
 * otherwise, with no keys) and {@code res_path} is relu, conv_1 (3x3, n_in to n_out/4), relu, conv_2
 * (3x3), relu, conv_3 (3x3), relu, conv_4 (1x1, to n_out). Keys use {@code w}/{@code b}.
 */
public final class DalleEncoderBlock extends Module {
  private final Conv idPath;
  private final ResPath resPath;
  private final float postGain;

  DalleEncoderBlock(int nIn, int nOut, double postGain) {
    this.idPath = nIn != nOut ? child("id_path", conv(nIn, nOut, 1)) : null;
    this.resPath = child("res_path", new ResPath(nIn, nOut));
    this.postGain = (float) postGain;
  }

  /**
   * Upstream {@code dall_e.utils.Conv2d}: "same" padding {@code (kw-1)/2}, stride 1, keys
   * {@code w}/{@code b}; weights drawn from N(0, 1/(n_in*kw^2)), biases zero.
   */
  public static Conv conv(int nIn, int nOut, int kw) {
    double std = 1.0 / Math.sqrt((double) nIn * kw * kw);
    Init normal = (m, s) -> m.randomNormal(0f, (float) std, s, ai.djl.ndarray.types.DataType.FLOAT32);
    return Conv.builder(nIn, nOut, kw, kw)
        .optPadding((kw - 1) / 2, (kw - 1) / 2)
        .optNames("w", "b")
        .optInit(normal, Init.zeros())
        .build();
  }

  NDArray forward(NDArray x) {
    NDArray id = idPath == null ? x : idPath.forward(x);
    return id.add(Scalars.mul(resPath.forward(x), postGain));
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }

  /** The bottleneck path, keys {@code conv_1 .. conv_4}; a relu precedes every conv. */
  static final class ResPath extends Module {
    private final Conv[] convs = new Conv[4];

    ResPath(int nIn, int nOut) {
      int nHid = nOut / 4;
      convs[0] = child("conv_1", conv(nIn, nHid, 3));
      convs[1] = child("conv_2", conv(nHid, nHid, 3));
      convs[2] = child("conv_3", conv(nHid, nHid, 3));
      convs[3] = child("conv_4", conv(nHid, nOut, 1));
    }

    NDArray forward(NDArray x) {
      NDArray h = x;
      for (Conv c : convs) {
        h = c.forward(Activation.relu(h));
      }
      return h;
    }
  }
}
