package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.nn.fused.TorchScriptOps;

/**
 * Plain multi-head self-attention as in timm / TimeSformer / BEiT {@code Attention}: keys
 * {@code qkv.weight} {@code (3C, C)} (+ {@code qkv.bias} when {@code qkvBias}) and {@code proj.*}.
 *
 * <p>Order of operations (upstream TimeSformer {@code vit.py}): qkv rows are {@code [q; k; v]} with
 * the heads contiguous inside each, i.e. {@code reshape(B, N, 3, heads, C/heads)}; logits are
 * {@code (q @ k^T) * scale} with {@code scale = qkScale} or {@code (C/heads)^-0.5}; softmax over
 * keys; attention dropout; {@code (attn @ v)} with the heads merged back to {@code (B, N, C)};
 * {@code proj}; projection dropout.
 *
 * <p>{@link org.bevt4j.nn.fused.Attention.Mode#FUSED} computes the same attention with libtorch's
 * {@code scaled_dot_product_attention} (one call forward, one backward; on CPU its flash kernel, as
 * there is no bias). With attention dropout active in training the composite path is used in either
 * mode (the fused call has no dropout matching upstream's).
 */
public class Attention extends Module {
  private final Linear qkv;
  private final Linear proj;
  private final long dim;
  private final int numHeads;
  private final float scale;
  private final double attnDrop;
  private final double projDrop;
  private final org.bevt4j.nn.fused.Attention.Mode mode;

  /**
   * @param dim model width C (must be divisible by {@code numHeads})
   * @param qkScale the logit scale, or null for {@code (C/heads)^-0.5}
   * @param weightInit initializer of the qkv and proj weights (biases start at zero); null for
   *     PyTorch's Linear default
   */
  public Attention(
      long dim, int numHeads, boolean qkvBias, Double qkScale, double attnDrop, double projDrop, Init weightInit) {
    this(dim, numHeads, qkvBias, qkScale, attnDrop, projDrop, weightInit, org.bevt4j.nn.fused.Attention.Mode.COMPOSITE);
  }

  /**
   * As {@link #Attention(long, int, boolean, Double, double, double, Init)}, computing the attention
   * with {@code mode}.
   */
  public Attention(
      long dim, int numHeads, boolean qkvBias, Double qkScale, double attnDrop, double projDrop, Init weightInit,
      org.bevt4j.nn.fused.Attention.Mode mode) {
    if (mode == null) {
      throw new IllegalArgumentException("attention mode must not be null");
    }
    this.mode = mode;
    if (numHeads < 1 || dim % numHeads != 0) {
      throw new IllegalArgumentException("attention width " + dim + " is not divisible by " + numHeads + " heads");
    }
    this.dim = dim;
    this.numHeads = numHeads;
    this.scale = (float) (qkScale != null ? qkScale : Math.pow((double) (dim / numHeads), -0.5));
    this.attnDrop = attnDrop;
    this.projDrop = projDrop;
    this.qkv =
        child(
            "qkv",
            weightInit == null ? new Linear(dim, 3 * dim, qkvBias) : new Linear(dim, 3 * dim, qkvBias, weightInit, Init.zeros()));
    this.proj =
        child("proj", weightInit == null ? new Linear(dim, dim, true) : new Linear(dim, dim, true, weightInit, Init.zeros()));
  }

  /** Self-attention over {@code x (B, N, C)}; returns {@code (B, N, C)}. */
  public NDArray forward(NDArray x, boolean training) {
    Shape s = x.getShape();
    if (s.dimension() != 3 || s.get(2) != dim) {
      throw new IllegalArgumentException("attention expects (B, N, " + dim + "), got " + s);
    }
    long b = s.get(0);
    long n = s.get(1);
    long hd = dim / numHeads;
    // q, k, v as views (B, heads, N, hd) of one split: its backward is one concat, where three
    // selects would each scatter into a zero tensor of the full qkv size
    NDList parts = qkv.forward(x).reshape(b, n, 3, numHeads, hd).transpose(2, 0, 3, 1, 4).split(3, 0);
    NDArray q = parts.get(0).squeeze(0);
    NDArray k = parts.get(1).squeeze(0);
    NDArray v = parts.get(2).squeeze(0);
    NDArray y;
    if (mode == org.bevt4j.nn.fused.Attention.Mode.FUSED && !(training && attnDrop > 0)) {
      y = Autocast.isFp16() ? TorchScriptOps.of(q).sdpaHalf(q, k, v, null, scale) : TorchScriptOps.of(q).sdpa(q, k, v, scale);
    } else {
      NDArray attn = Autocast.matMul(q, k.transpose(0, 1, 3, 2));
      attn = attn.muli(Scalars.of(attn, scale)); // in place on the fresh logits; not mul(Number): see Scalars
      attn = attn.softmax(-1);
      attn = Ops.dropout(attn, attnDrop, training);
      y = Autocast.matMul(attn, v);
    }
    y = y.transpose(0, 2, 1, 3).reshape(b, n, dim);
    return Ops.dropout(proj.forward(y), projDrop, training);
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow(), training));
  }

  public Linear qkv() {
    return qkv;
  }

  public Linear proj() {
    return proj;
  }

  public int numHeads() {
    return numHeads;
  }

  public float scale() {
    return scale;
  }

  /** How the attention is computed. */
  public org.bevt4j.nn.fused.Attention.Mode mode() {
    return mode;
  }
}
