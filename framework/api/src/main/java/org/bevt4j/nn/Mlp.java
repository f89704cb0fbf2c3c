package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;

/** timm/Swin {@code Mlp}: fc1, GELU (erf), dropout, fc2, dropout; keys {@code fc1.*}, {@code fc2.*}. */
public class Mlp extends Module {
  private final Linear fc1;
  private final Linear fc2;
  private final double drop;

  public Mlp(long dim, long hidden, double drop) {
    this(dim, hidden, drop, null);
  }

  /** With a custom initializer for both weights (biases zero), e.g. {@code Init.truncNormal(.02)}. */
  public Mlp(long dim, long hidden, double drop, Init weightInit) {
    this.fc1 = child("fc1", weightInit == null ? new Linear(dim, hidden, true) : new Linear(dim, hidden, true, weightInit, Init.zeros()));
    this.fc2 = child("fc2", weightInit == null ? new Linear(hidden, dim, true) : new Linear(hidden, dim, true, weightInit, Init.zeros()));
    this.drop = drop;
  }

  public NDArray forward(NDArray x, boolean training) {
    NDArray h = Activation.gelu(fc1.forward(x));
    h = Ops.dropout(h, drop, training);
    return Ops.dropout(fc2.forward(h), drop, training);
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow(), training));
  }
}
