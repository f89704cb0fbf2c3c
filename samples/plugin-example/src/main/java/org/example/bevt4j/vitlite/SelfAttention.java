package org.example.bevt4j.vitlite;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Module;

/**
 * Multi-head self-attention over all tokens (timm {@code Attention}): keys {@code qkv.*}
 * {@code (3D, D)} and {@code proj.*}; {@code softmax(q k^T / sqrt(d)) v}.
 */
final class SelfAttention extends Module {
  private final Linear qkv;
  private final Linear proj;
  private final long dim;
  private final int heads;
  private final float scale;

  SelfAttention(long dim, int heads, boolean qkvBias) {
    this.dim = dim;
    this.heads = heads;
    this.scale = (float) Math.pow((double) dim / heads, -0.5);
    this.qkv = child("qkv", new Linear(dim, 3 * dim, qkvBias, Init.truncNormal(0.02), Init.zeros()));
    this.proj = child("proj", new Linear(dim, dim, true, Init.truncNormal(0.02), Init.zeros()));
  }

  /** {@code (B, N, D)} to {@code (B, N, D)}. */
  NDArray forward(NDArray x) {
    Shape s = x.getShape();
    long b = s.get(0);
    long n = s.get(1);
    NDArray t = qkv.forward(x).reshape(b, n, 3, heads, dim / heads).transpose(2, 0, 3, 1, 4);
    NDArray q = t.get(0);
    NDArray k = t.get(1);
    NDArray v = t.get(2);
    NDArray attn = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).softmax(-1);
    return proj.forward(attn.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, dim));
  }
}
