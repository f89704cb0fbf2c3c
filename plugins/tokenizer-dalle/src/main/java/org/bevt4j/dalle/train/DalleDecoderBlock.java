package org.bevt4j.dalle.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import org.bevt4j.dalle.DalleEncoderBlock;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Scalars;

/**
 * Upstream {@code DecoderBlock(n_in, n_out, n_layers)}: {@code id_path(x) + post_gain *
 * res_path(x)}; {@code id_path} is a 1x1 conv only when {@code n_in != n_out}; {@code res_path} is
 * relu, conv_1 (<b>1x1</b>, n_in to n_out/4), relu, conv_2 (3x3), relu, conv_3 (3x3), relu, conv_4
 * (<b>3x3</b>, to n_out) — the encoder block has the 1x1 at the other end. Keys {@code w}/{@code b}.
 */
public final class DalleDecoderBlock extends Module {
  private final Conv idPath;
  private final Conv[] res = new Conv[4];
  private final float postGain;

  public DalleDecoderBlock(int nIn, int nOut, double postGain) {
    int nHid = nOut / 4;
    this.idPath = nIn != nOut ? child("id_path", DalleEncoderBlock.conv(nIn, nOut, 1)) : null;
    ResPath path = child("res_path", new ResPath());
    res[0] = path.add("conv_1", DalleEncoderBlock.conv(nIn, nHid, 1));
    res[1] = path.add("conv_2", DalleEncoderBlock.conv(nHid, nHid, 3));
    res[2] = path.add("conv_3", DalleEncoderBlock.conv(nHid, nHid, 3));
    res[3] = path.add("conv_4", DalleEncoderBlock.conv(nHid, nOut, 3));
    this.postGain = (float) postGain;
  }

  public NDArray forward(NDArray x) {
    NDArray h = x;
    for (Conv c : res) {
      h = c.forward(Activation.relu(h));
    }
    NDArray id = idPath == null ? x : idPath.forward(x);
    return id.add(Scalars.mul(h, postGain));
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }

  /** The {@code res_path} sequential (its relus have no keys). */
  private static final class ResPath extends Module {
    Conv add(String name, Conv conv) {
      return child(name, conv);
    }
  }
}
