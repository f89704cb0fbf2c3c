package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Window multi-head self-attention with a learned relative position bias (Video Swin's
 * {@code WindowAttention3D}); keys {@code relative_position_bias_table} [(2Wd-1)(2Wh-1)(2Ww-1), nH],
 * {@code qkv.*} [3C, C] (rows [q; k; v], heads contiguous), {@code proj.*} [C, C]. The
 * {@code relative_position_index} buffer is not a parameter: it is recomputed ({@link
 * RelativePositionIndex}) and cached in a shared {@link WindowCaches}.
 *
 * <p>For a window of N tokens the bias is {@code table[index[:N, :N]]}, the top-left block of the
 * full index of the configured window, also for clipped windows (upstream behaviour, kept on
 * purpose). Logits: {@code (q * scale) k^T + bias}, then the optional mask (nW, N, N) is added per
 * window, softmax, attention dropout, {@code @ v}, heads merged as (N, nH*hd), {@code proj},
 * dropout.
 */
public class WindowAttention3D extends Module {
  private final int[] window;
  private final int heads;
  private final long dim;
  private final float scale;
  private final double attnDrop;
  private final double projDrop;
  private final Param table;
  private final Linear qkv;
  private final Linear proj;
  private final WindowCaches caches;

  /**
   * @param qkScale overrides {@code head_dim^-0.5} when non-null and non-zero (upstream's
   *     {@code qk_scale or head_dim ** -0.5})
   * @param linearInit initializer of the qkv/proj weights (biases start at zero); Swin uses
   *     trunc-normal(0.02)
   * @param caches shared caches; null gives a private one bound to this module's parameters
   */
  public WindowAttention3D(
      long dim,
      int[] window,
      int heads,
      boolean qkvBias,
      Double qkScale,
      double attnDrop,
      double projDrop,
      Init linearInit,
      WindowCaches caches) {
    if (window.length != 3) {
      throw new IllegalArgumentException("window must have 3 sizes (d, h, w), got " + window.length);
    }
    if (heads < 1 || dim % heads != 0) {
      throw new IllegalArgumentException("dim " + dim + " is not divisible by num_heads " + heads);
    }
    this.window = window.clone();
    this.heads = heads;
    this.dim = dim;
    long headDim = dim / heads;
    this.scale =
        (qkScale != null && qkScale != 0.0) ? qkScale.floatValue() : (float) Math.pow(headDim, -0.5);
    this.attnDrop = attnDrop;
    this.projDrop = projDrop;
    this.table =
        param(
            "relative_position_bias_table",
            new Shape(RelativePositionIndex.tableRows(window), heads),
            Init.truncNormal(0.02));
    this.qkv = child("qkv", new Linear(dim, 3 * dim, qkvBias, linearInit, Init.zeros()));
    this.proj = child("proj", new Linear(dim, dim, true, linearInit, Init.zeros()));
    this.caches = caches != null ? caches : new WindowCaches(() -> table.array().getManager());
  }

  /**
   * Attention over windows.
   *
   * @param x {@code (B*nW, N, C)} window tokens, N at most Wd*Wh*Ww
   * @param mask {@code (nW, N, N)} additive mask or null
   */
  public NDArray forward(NDArray x, NDArray mask, boolean training) {
    Shape s = x.getShape();
    long bw = s.get(0);
    int n = Math.toIntExact(s.get(1));
    long c = s.get(2);
    NDArray qkvOut = qkv.forward(x).reshape(bw, n, 3, heads, c / heads).transpose(2, 0, 3, 1, 4);
    NDArray q = Scalars.mul(qkvOut.get(0), scale); // not mul(Number): see Scalars
    NDArray k = qkvOut.get(1);
    NDArray v = qkvOut.get(2);
    NDArray attn = q.matMul(k.transpose(0, 1, 3, 2));
    attn = attn.add(relativeBias(n));
    if (mask != null) {
      long nw = mask.getShape().get(0);
      if (bw % nw != 0) {
        throw new IllegalArgumentException(bw + " windows are not a multiple of the mask's " + nw);
      }
      attn = attn.reshape(bw / nw, nw, heads, n, n).add(mask.reshape(1, nw, 1, n, n)).reshape(bw, heads, n, n);
    }
    attn = attn.softmax(-1);
    attn = Ops.dropout(attn, attnDrop, training);
    NDArray y = attn.matMul(v).transpose(0, 2, 1, 3).reshape(bw, n, c);
    return Ops.dropout(proj.forward(y), projDrop, training);
  }

  /** The bias (nH, N, N) for windows of N tokens: {@code table[index[:N,:N]]}. */
  public NDArray relativeBias(int n) {
    NDArray idx = caches.biasIndex(window, n);
    return table.array().get(new NDIndex("{}", idx)).reshape(n, n, heads).transpose(2, 0, 1);
  }

  public Param table() {
    return table;
  }

  public Linear qkv() {
    return qkv;
  }

  public Linear proj() {
    return proj;
  }

  public int heads() {
    return heads;
  }

  public long dim() {
    return dim;
  }

  /** The configured (full) window. */
  public int[] window() {
    return window.clone();
  }

  public float scale() {
    return scale;
  }
}
