package org.bevt4j.core.bench;

import java.util.Arrays;

/**
 * Forward FLOPs of Video Swin ({@code SwinTransformer3D}) and of BEVT's two streams, as pure
 * functions of the config numbers and the input size (FLOP conventions: {@link FlopCount}).
 *
 * <p>What is counted, per the upstream order of operations:
 *
 * <ul>
 *   <li>{@code patch_embed}: Conv3d {@code in→C0}, kernel = stride = patch, on the input zero-padded
 *       up to multiples of the patch: output grid {@code ceil(T/pd) × ceil(H/ph) × ceil(W/pw)}.
 *   <li>per stage {@code i} (width {@code C = C0·2^i}) and block: the effective window is the stage
 *       size on every axis where size ≤ window (upstream {@code get_window_size}); tokens are
 *       zero-padded to multiples of the window, so {@code qkv} ({@code C→3C}), the attention
 *       products ({@code 2·Tp·N·2C} for {@code Tp} padded tokens and {@code N} tokens per window)
 *       and {@code proj} ({@code C→C}) run on padded tokens, while the MLP ({@code C→rC→C}) runs on
 *       the unpadded ones. Shifting only moves tokens (no FLOPs).
 *   <li>{@code merge}: PatchMerging after every stage but the last: {@code H, W → ceil(/2)} and a
 *       linear {@code 4C→2C} (no bias).
 *   <li>BEVT decoders on the last two stages: video {@code fpn_s} (ConvT3d {@code F→F},
 *       k=s=(1,2,2)), {@code lm_down_st} (linear {@code C_{L-2}+F → F}), {@code fpn_t} (ConvT3d
 *       k=s=(2,1,1)); image {@code fpn} (ConvT2d k=s=2), {@code lm_down}; then the shared {@code
 *       lm_head} linear {@code F→vocab} on every output position.
 * </ul>
 *
 * Norms, softmax, GELU, bias/mask adds and the relative-bias gather are not counted. The image
 * stream (BEVT {@code is_img=True}) uses {@code patch_embed_2d} (Conv2d, k=s=(ph,pw)), 2-D windows
 * {@code (wh, ww)} without clipping or padding (upstream needs every stage size divisible by the
 * window, otherwise it fails; so does this count). For Swin-T/S/B at 32×224² the totals are
 * 88/166/282 G multiply-adds ({@link FlopCount#macs()}), the figures of the Video Swin paper.
 */
public final class VideoSwinFlops {
  private VideoSwinFlops() {}

  /**
   * Video Swin config numbers (upstream names in comments).
   *
   * @param inChans {@code in_chans}
   * @param patchSize {@code patch_size} (d, h, w)
   * @param embedDim {@code embed_dim} (C0)
   * @param depths {@code depths} per stage
   * @param numHeads {@code num_heads} per stage
   * @param windowSize {@code window_size} (d, h, w)
   * @param mlpRatio {@code mlp_ratio}
   */
  public record Config(
      int inChans, int[] patchSize, int embedDim, int[] depths, int[] numHeads, int[] windowSize,
      double mlpRatio) {
    /** Validates every field (errors name the field, value and constraint). */
    public Config {
      positive("in_chans", inChans);
      positive("embed_dim", embedDim);
      three("patch_size", patchSize);
      three("window_size", windowSize);
      if (depths == null || depths.length == 0) {
        throw new IllegalArgumentException("depths must list at least one stage");
      }
      if (numHeads == null || numHeads.length != depths.length) {
        throw new IllegalArgumentException(
            "num_heads " + Arrays.toString(numHeads) + " must have one entry per stage (depths "
                + Arrays.toString(depths) + ")");
      }
      for (int i = 0; i < depths.length; i++) {
        if (depths[i] < 0) {
          throw new IllegalArgumentException("depths[" + i + "] = " + depths[i] + " must be >= 0");
        }
        positive("num_heads[" + i + "]", numHeads[i]);
        long c = (long) embedDim << i;
        if (c % numHeads[i] != 0) {
          throw new IllegalArgumentException(
              "stage " + i + " width " + c + " is not divisible by num_heads[" + i + "] = "
                  + numHeads[i]);
        }
      }
      if (!(mlpRatio > 0)) {
        throw new IllegalArgumentException("mlp_ratio = " + mlpRatio + " must be > 0");
      }
      patchSize = patchSize.clone();
      windowSize = windowSize.clone();
      depths = depths.clone();
      numHeads = numHeads.clone();
    }

    /** Width of stage {@code i}. */
    public long width(int stage) {
      return (long) embedDim << stage;
    }

    /** {@code num_features}: the last stage's width. */
    public long numFeatures() {
      return width(depths.length - 1);
    }

    private static void positive(String name, int v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " = " + v + " must be > 0");
      }
    }

    private static void three(String name, int[] v) {
      if (v == null || v.length != 3) {
        throw new IllegalArgumentException(
            name + " " + Arrays.toString(v) + " must have 3 entries (d, h, w)");
      }
      for (int x : v) {
        positive(name + " entry", x);
      }
    }
  }

  /** Swin-T: C 96, depths 2,2,6,2, heads 3,6,12,24, patch (2,4,4), window (8,7,7). */
  public static Config swinT() {
    return new Config(3, new int[] {2, 4, 4}, 96, new int[] {2, 2, 6, 2},
        new int[] {3, 6, 12, 24}, new int[] {8, 7, 7}, 4.0);
  }

  /** Swin-S: C 96, depths 2,2,18,2, heads 3,6,12,24. */
  public static Config swinS() {
    return new Config(3, new int[] {2, 4, 4}, 96, new int[] {2, 2, 18, 2},
        new int[] {3, 6, 12, 24}, new int[] {8, 7, 7}, 4.0);
  }

  /** Swin-B (BEVT's backbone): C 128, depths 2,2,18,2, heads 4,8,16,32. */
  public static Config swinB() {
    return new Config(3, new int[] {2, 4, 4}, 128, new int[] {2, 2, 18, 2},
        new int[] {4, 8, 16, 32}, new int[] {8, 7, 7}, 4.0);
  }

  /** Forward FLOPs of the video backbone on {@code (batch, in, frames, height, width)}. */
  public static FlopCount video(Config c, int batch, int frames, int height, int width) {
    return backbone(c, batch, frames, height, width, false, new long[c.depths().length][]);
  }

  /** Forward FLOPs of the BEVT image-stream backbone on {@code (batch, in, height, width)}. */
  public static FlopCount image(Config c, int batch, int height, int width) {
    return backbone(c, batch, 1, height, width, true, new long[c.depths().length][]);
  }

  /**
   * BEVT video stream: backbone + video decoder + {@code lm_head} on all {@code 2·D3·H3·W3}
   * positions ({@code vocab = 0} leaves the head out).
   */
  public static FlopCount bevtVideo(
      Config c, int batch, int frames, int height, int width, int vocab) {
    int stages = c.depths().length;
    requireDecoderStages(stages);
    long[][] grids = new long[stages][];
    FlopCount f = backbone(c, batch, frames, height, width, false, grids);
    long[] g3 = grids[stages - 2];
    long[] g4 = grids[stages - 1];
    requireUpsampleMatch(g3, g4, "video");
    long feat = c.numFeatures();
    long tokens3 = (long) batch * g3[0] * g3[1] * g3[2];
    f.add("decoder.fpn_s", FlopCount.convTranspose(batch, feat, feat, g4, new long[] {1, 2, 2}));
    f.add("decoder.lm_down_st", FlopCount.linear(tokens3, c.width(stages - 2) + feat, feat));
    f.add("decoder.fpn_t", FlopCount.convTranspose(batch, feat, feat, g3, new long[] {2, 1, 1}));
    if (vocab > 0) {
      f.add("head.lm_head", FlopCount.linear(2 * tokens3, feat, vocab));
    }
    return f;
  }

  /** BEVT image stream: backbone + image decoder + {@code lm_head} on all {@code H3·W3} positions. */
  public static FlopCount bevtImage(Config c, int batch, int height, int width, int vocab) {
    int stages = c.depths().length;
    requireDecoderStages(stages);
    long[][] grids = new long[stages][];
    FlopCount f = backbone(c, batch, 1, height, width, true, grids);
    long[] g3 = grids[stages - 2];
    long[] g4 = grids[stages - 1];
    requireUpsampleMatch(g3, g4, "image");
    long feat = c.numFeatures();
    long tokens3 = (long) batch * g3[1] * g3[2];
    f.add("decoder.fpn", FlopCount.convTranspose(batch, feat, feat,
        new long[] {g4[1], g4[2]}, new long[] {2, 2}));
    f.add("decoder.lm_down", FlopCount.linear(tokens3, c.width(stages - 2) + feat, feat));
    if (vocab > 0) {
      f.add("head.lm_head", FlopCount.linear(tokens3, feat, vocab));
    }
    return f;
  }

  /** Backbone FLOPs; fills {@code grids[i]} with stage {@code i}'s input grid (d, h, w). */
  private static FlopCount backbone(
      Config c, int batch, int frames, int height, int width, boolean image, long[][] grids) {
    if (batch <= 0 || frames <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "input sizes must be > 0: batch=" + batch + " frames=" + frames + " height=" + height
              + " width=" + width);
    }
    int[] p = c.patchSize();
    FlopCount f = new FlopCount();
    long[] g;
    if (image) {
      g = new long[] {1, ceil(height, p[1]), ceil(width, p[2])};
      f.add("patch_embed", FlopCount.conv(batch, c.inChans(), c.embedDim(),
          new long[] {g[1], g[2]}, new long[] {p[1], p[2]}, 1));
    } else {
      g = new long[] {ceil(frames, p[0]), ceil(height, p[1]), ceil(width, p[2])};
      f.add("patch_embed", FlopCount.conv(batch, c.inChans(), c.embedDim(), g,
          new long[] {p[0], p[1], p[2]}, 1));
    }
    int stages = c.depths().length;
    for (int i = 0; i < stages; i++) {
      grids[i] = g.clone();
      long ch = c.width(i);
      long[] win = window(c, g, image, i);
      long n = win[0] * win[1] * win[2];
      long padded = (long) batch * roundUp(g[0], win[0]) * roundUp(g[1], win[1])
          * roundUp(g[2], win[2]);
      long tokens = (long) batch * g[0] * g[1] * g[2];
      long hidden = (long) (ch * c.mlpRatio());
      long heads = c.numHeads()[i];
      int depth = c.depths()[i];
      String s = "stage" + i + ".";
      f.add(s + "qkv", Math.multiplyExact(depth, FlopCount.linear(padded, ch, 3 * ch)));
      f.add(s + "attn", Math.multiplyExact(depth,
          FlopCount.attention(padded / n, heads, n, n, ch / heads, ch / heads)));
      f.add(s + "proj", Math.multiplyExact(depth, FlopCount.linear(padded, ch, ch)));
      f.add(s + "mlp", Math.multiplyExact(depth, Math.addExact(
          FlopCount.linear(tokens, ch, hidden), FlopCount.linear(tokens, hidden, ch))));
      if (i < stages - 1) {
        g = new long[] {g[0], ceil(g[1], 2), ceil(g[2], 2)};
        long merged = (long) batch * g[0] * g[1] * g[2];
        f.add(s + "merge", FlopCount.linear(merged, 4 * ch, 2 * ch));
      }
    }
    return f;
  }

  private static long[] window(Config c, long[] g, boolean image, int stage) {
    int[] w = c.windowSize();
    if (image) {
      if (g[1] % w[1] != 0 || g[2] % w[2] != 0) {
        throw new IllegalArgumentException(
            "image stream stage " + stage + " grid " + g[1] + "x" + g[2]
                + " is not divisible by the 2-D window " + w[1] + "x" + w[2]
                + " (upstream BEVT does not pad the image stream; use e.g. 224x224 input)");
      }
      return new long[] {1, w[1], w[2]};
    }
    return new long[] {Math.min(g[0], w[0]), Math.min(g[1], w[1]), Math.min(g[2], w[2])};
  }

  private static void requireDecoderStages(int stages) {
    if (stages < 2) {
      throw new IllegalArgumentException("BEVT decoders need >= 2 stages, config has " + stages);
    }
  }

  private static void requireUpsampleMatch(long[] g3, long[] g4, String stream) {
    if (g3[1] != 2 * g4[1] || g3[2] != 2 * g4[2]) {
      throw new IllegalArgumentException(
          "BEVT " + stream + " decoder needs the second-to-last stage grid " + g3[1] + "x" + g3[2]
              + " to be twice the last " + g4[1] + "x" + g4[2]
              + " (patch grid divisible by 2^(stages-1))");
    }
  }

  private static long ceil(long a, long b) {
    return (a + b - 1) / b;
  }

  private static long roundUp(long a, long b) {
    return ceil(a, b) * b;
  }
}
