package org.bevt4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.nn.fused.Attention.Mode;

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
 *
 * <p>{@link Mode#COMPOSITE} runs these steps as DJL ops, adding the bias and the mask in place on
 * the freshly computed logits (no extra logit-sized tensors); {@link Mode#FUSED} folds bias and
 * mask into one additive bias and calls libtorch's {@code scaled_dot_product_attention} ({@link
 * org.bevt4j.nn.fused.Attention#windowAttention}). Both give the same values and gradients to
 * float rounding. With attention dropout active in training the composite path is used in either
 * mode.
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
  private final Mode mode;

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
    this(dim, window, heads, qkvBias, qkScale, attnDrop, projDrop, linearInit, caches, Mode.COMPOSITE);
  }

  /** As the other constructor, computing the attention with {@code mode}. */
  public WindowAttention3D(
      long dim,
      int[] window,
      int heads,
      boolean qkvBias,
      Double qkScale,
      double attnDrop,
      double projDrop,
      Init linearInit,
      WindowCaches caches,
      Mode mode) {
    if (mode == null) {
      throw new IllegalArgumentException("attention mode must not be null");
    }
    this.mode = mode;
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
    // q, k, v as views (B*nW, nH, N, hd) of one split (its backward is one concat; three selects
    // would each scatter into a zero tensor of the full qkv size)
    NDList parts = qkv.forward(x).reshape(bw, n, 3, heads, c / heads).transpose(2, 0, 3, 1, 4).split(3, 0);
    NDArray q = parts.get(0).squeeze(0);
    NDArray k = parts.get(1).squeeze(0);
    NDArray v = parts.get(2).squeeze(0);
    long nw = 1;
    if (mask != null) {
      nw = mask.getShape().get(0);
      if (bw % nw != 0) {
        throw new IllegalArgumentException(bw + " windows are not a multiple of the mask's " + nw);
      }
    }
    NDArray y;
    if (mode == Mode.FUSED && !(training && attnDrop > 0)) {
      y = org.bevt4j.nn.fused.Attention.windowAttention(q, k, v, relativeBias(n), mask, scale, Mode.FUSED);
    } else {
      q = Scalars.mul(q, scale); // not mul(Number): see Scalars
      NDArray kt = k.transpose(0, 1, 3, 2);
      NDArray attn;
      if (mask != null) {
        // logits computed directly as (B, nW, nH, N, N), a fresh tensor: bias and mask go in place
        attn = Autocast.matMul(q.reshape(bw / nw, nw, heads, n, c / heads), kt.reshape(bw / nw, nw, heads, c / heads, n));
        attn.addi(relativeBias(n));
        attn.addi(mask.reshape(nw, 1, n, n));
        attn = attn.reshape(bw, heads, n, n);
      } else {
        attn = Autocast.matMul(q, kt);
        attn.addi(relativeBias(n));
      }
      attn = attn.softmax(-1);
      attn = Ops.dropout(attn, attnDrop, training);
      y = Autocast.matMul(attn, v);
    }
    y = y.transpose(0, 2, 1, 3).reshape(bw, n, c);
    return Ops.dropout(proj.forward(y), projDrop, training);
  }

  /**
   * The bias (nH, N, N) for windows of N tokens: {@code table[index[:N,:N]]}, factorized over the
   * window axes where that is the same gather ({@link RelativePositionBias#of}).
   */
  public NDArray relativeBias(int n) {
    return RelativePositionBias.of(table.array(), window, n, heads, caches);
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

  /** How the attention is computed. */
  public Mode mode() {
    return mode;
  }
}
