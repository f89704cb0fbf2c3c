package org.bevt4j.peco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.GroupNorm;
import org.bevt4j.nn.Module;

/**
 * taming {@code AttnBlock}: single-head spatial self-attention with 1x1-conv projections.
 * {@code h = norm(x)}; {@code q, k, v} 1x1 convs; weights {@code softmax(q^T k / sqrt(C))} over
 * the keys; {@code out = x + proj_out(v w^T)}. Keys {@code norm.*}, {@code q.*}, {@code k.*},
 * {@code v.*}, {@code proj_out.*}.
 */
public final class AttnBlock extends Module {
  private final GroupNorm norm;
  private final Conv q;
  private final Conv k;
  private final Conv v;
  private final Conv projOut;

  public AttnBlock(int channels, int groups, double eps) {
    norm = child("norm", new GroupNorm(groups, channels, eps));
    q = child("q", Conv.builder(channels, channels, 1, 1).build());
    k = child("k", Conv.builder(channels, channels, 1, 1).build());
    v = child("v", Conv.builder(channels, channels, 1, 1).build());
    projOut = child("proj_out", Conv.builder(channels, channels, 1, 1).build());
  }

  public NDArray forward(NDArray x) {
    Shape s = x.getShape();
    long b = s.get(0);
    long c = s.get(1);
    long hw = s.get(2) * s.get(3);
    NDArray h = norm.forward(x);
    NDArray qs = q.forward(h).reshape(b, c, hw).transpose(0, 2, 1); // (b, hw, c)
    NDArray ks = k.forward(h).reshape(b, c, hw); // (b, c, hw)
    NDArray vs = v.forward(h).reshape(b, c, hw);
    NDArray w = org.bevt4j.nn.Scalars.mul(qs.matMul(ks), Math.pow(c, -0.5)).softmax(2); // (b, hw_q, hw_k)
    NDArray out = vs.matMul(w.transpose(0, 2, 1)).reshape(s); // (b, c, hw_q)
    return x.add(projOut.forward(out));
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }
}
