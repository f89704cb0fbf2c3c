package org.bevt4j.core.bench;

import java.util.Locale;

/**
 * Forward FLOPs of TimeSformer ({@code VisionTransformer} of {@code vit.py}) as a BEVT backbone, a
 * pure function of the config numbers and the input size (conventions: {@link FlopCount}).
 *
 * <p>Counted per the upstream order of operations, with {@code t = T / tubelet} token frames,
 * {@code N = (H/p)·(W/p)} patches per frame and width {@code C}:
 *
 * <ul>
 *   <li>{@code patch_embed}: Conv2d (tubelet 1) or Conv3d (tubelet k) {@code 3k → C}, kernel = stride.
 *   <li>{@code divided_space_time} block: temporal attention over the {@code t} frames of each patch
 *       position ({@code qkv}, products, {@code proj} on {@code B·N·t} tokens) and {@code
 *       temporal_fc}; spatial attention per frame over {@code N + 1} tokens (cls repeated per frame);
 *       the MLP on the {@code 1 + N·t} tokens of each clip.
 *   <li>{@code space_only}: every frame an independent ViT sequence of {@code N + 1} tokens.
 *   <li>{@code joint_space_time}: one sequence of {@code 1 + N·t} tokens per clip.
 *   <li>image stream ({@code image-temporal = skip}): plain ViT blocks on {@code N + 1} tokens
 *       ({@code upstream}: the video path at {@code t = 1}).
 *   <li>decoder: nothing for the identity decoder (BEVT's geometry: mask cell = patch, tubelet 1);
 *       otherwise its {@code Linear(s²C → f·r²C)} per group of {@code s×s} tokens.
 * </ul>
 *
 * LayerNorms, softmax, GELU, embedding adds and the cls averaging are not counted; the vocabulary
 * head is added by the caller (it runs on the masked tokens only).
 */
public final class TimeSformerFlops {
  private TimeSformerFlops() {}

  /** Which attention the blocks use (upstream {@code attention_type}). */
  public enum AttentionType {
    DIVIDED_SPACE_TIME,
    SPACE_ONLY,
    JOINT_SPACE_TIME;

    /** Parses the upstream spelling ({@code divided_space_time}, {@code -} accepted for {@code _}). */
    public static AttentionType parse(String s) {
      String n = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (AttentionType t : values()) {
        if (t.name().equals(n)) {
          return t;
        }
      }
      throw new IllegalArgumentException(
          "attention type '" + s + "' is unknown; expected divided_space_time, space_only or joint_space_time");
    }
  }

  /**
   * TimeSformer config numbers.
   *
   * @param inChans input channels
   * @param patchSize patch side p
   * @param embedDim width C
   * @param depth blocks
   * @param numHeads heads (C must be divisible by them)
   * @param mlpRatio MLP hidden width = {@code int(C · mlpRatio)}
   * @param attention block type
   * @param tubeletSize frames per token
   * @param maskPatchSize pixels per target token side (decoder merge/split factor vs p)
   * @param imageUpstream image stream runs the video path at t = 1 ({@code image-temporal =
   *     upstream}) rather than plain blocks ({@code skip})
   */
  public record Config(
      int inChans, int patchSize, int embedDim, int depth, int numHeads, double mlpRatio,
      AttentionType attention, int tubeletSize, int maskPatchSize, boolean imageUpstream) {
    /** Validates every field (errors name the field, value and constraint). */
    public Config {
      for (int[] v : new int[][] {{inChans}, {patchSize}, {embedDim}, {depth}, {numHeads}, {tubeletSize}, {maskPatchSize}}) {
        if (v[0] <= 0) {
          throw new IllegalArgumentException(
              "TimeSformer sizes must be > 0: in_chans=" + inChans + " patch_size=" + patchSize + " embed_dim="
                  + embedDim + " depth=" + depth + " num_heads=" + numHeads + " tubelet_size=" + tubeletSize
                  + " mask_patch_size=" + maskPatchSize);
        }
      }
      if (embedDim % numHeads != 0) {
        throw new IllegalArgumentException("embed_dim " + embedDim + " is not divisible by num_heads " + numHeads);
      }
      if (!(mlpRatio > 0)) {
        throw new IllegalArgumentException("mlp_ratio = " + mlpRatio + " must be > 0");
      }
      if (attention == null) {
        throw new IllegalArgumentException("attention type must not be null");
      }
      if (maskPatchSize % patchSize != 0 && patchSize % maskPatchSize != 0) {
        throw new IllegalArgumentException(
            "mask_patch_size " + maskPatchSize + " must be a multiple or a divisor of patch_size " + patchSize);
      }
    }

    /** MLP hidden width. */
    public long hidden() {
      return (long) (embedDim * mlpRatio);
    }
  }

  /** ViT-B/16, divided space-time, BEVT geometry (TimeSformer's and BEVT's backbone). */
  public static Config vitBase() {
    return new Config(3, 16, 768, 12, 12, 4.0, AttentionType.DIVIDED_SPACE_TIME, 1, 16, false);
  }

  /** Forward FLOPs of the video backbone and decoder on {@code (batch, in, frames, height, width)}. */
  public static FlopCount video(Config c, int batch, int frames, int height, int width) {
    check(batch, frames, height, width);
    if (frames % c.tubeletSize() != 0) {
      throw new IllegalArgumentException(frames + " frames are not a multiple of tubelet_size " + c.tubeletSize());
    }
    long t = frames / c.tubeletSize();
    long h = height / c.patchSize();
    long w = width / c.patchSize();
    FlopCount f = new FlopCount();
    f.add("patch_embed", FlopCount.conv((long) batch * t, (long) c.inChans() * c.tubeletSize(), c.embedDim(),
        new long[] {h, w}, new long[] {c.patchSize(), c.patchSize()}, 1));
    blocks(f, c, batch, t, h * w, c.attention());
    decoder(f, c, batch, t, h, w, c.tubeletSize());
    return f;
  }

  /** Forward FLOPs of the image stream and decoder on {@code (batch, in, height, width)}. */
  public static FlopCount image(Config c, int batch, int height, int width) {
    check(batch, 1, height, width);
    long h = height / c.patchSize();
    long w = width / c.patchSize();
    FlopCount f = new FlopCount();
    f.add("patch_embed", FlopCount.conv(batch, c.inChans(), c.embedDim(), new long[] {h, w},
        new long[] {c.patchSize(), c.patchSize()}, 1));
    AttentionType path = c.imageUpstream() ? c.attention() : AttentionType.SPACE_ONLY;
    blocks(f, c, batch, 1, h * w, path);
    decoder(f, c, batch, 1, h, w, 1);
    return f;
  }

  private static void blocks(FlopCount f, Config c, long b, long t, long n, AttentionType type) {
    long dim = c.embedDim();
    long heads = c.numHeads();
    long hd = dim / heads;
    long depth = c.depth();
    switch (type) {
      case DIVIDED_SPACE_TIME -> {
        long tt = b * n * t;
        f.add("blocks.temporal", Math.multiplyExact(depth, FlopCount.linear(tt, dim, 3 * dim)
            + FlopCount.attention(b * n, heads, t, t, hd, hd) + FlopCount.linear(tt, dim, dim)
            + FlopCount.linear(tt, dim, dim)));
        long st = b * t * (n + 1);
        f.add("blocks.spatial", Math.multiplyExact(depth, FlopCount.linear(st, dim, 3 * dim)
            + FlopCount.attention(b * t, heads, n + 1, n + 1, hd, hd) + FlopCount.linear(st, dim, dim)));
        f.add("blocks.mlp", Math.multiplyExact(depth, mlp(b * (1 + n * t), dim, c.hidden())));
      }
      case SPACE_ONLY -> {
        long st = b * t * (n + 1);
        f.add("blocks.attn", Math.multiplyExact(depth, FlopCount.linear(st, dim, 3 * dim)
            + FlopCount.attention(b * t, heads, n + 1, n + 1, hd, hd) + FlopCount.linear(st, dim, dim)));
        f.add("blocks.mlp", Math.multiplyExact(depth, mlp(st, dim, c.hidden())));
      }
      case JOINT_SPACE_TIME -> {
        long l = 1 + n * t;
        f.add("blocks.attn", Math.multiplyExact(depth, FlopCount.linear(b * l, dim, 3 * dim)
            + FlopCount.attention(b, heads, l, l, hd, hd) + FlopCount.linear(b * l, dim, dim)));
        f.add("blocks.mlp", Math.multiplyExact(depth, mlp(b * l, dim, c.hidden())));
      }
    }
  }

  private static long mlp(long tokens, long dim, long hidden) {
    return FlopCount.linear(tokens, dim, hidden) + FlopCount.linear(tokens, hidden, dim);
  }

  private static void decoder(FlopCount f, Config c, long b, long t, long h, long w, int framesPerToken) {
    int merge = Math.max(1, c.maskPatchSize() / c.patchSize());
    int split = Math.max(1, c.patchSize() / c.maskPatchSize());
    if (merge == 1 && split == 1 && framesPerToken == 1) {
      return; // identity decoder
    }
    long groups = b * t * (h / merge) * (w / merge);
    long dim = c.embedDim();
    f.add("decoder.lm_up", FlopCount.linear(groups, (long) merge * merge * dim, (long) framesPerToken * split * split * dim));
  }

  private static void check(int batch, int frames, int height, int width) {
    if (batch <= 0 || frames <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "input sizes must be > 0: batch=" + batch + " frames=" + frames + " height=" + height + " width=" + width);
    }
  }
}
