package org.bevt4j.swin;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every constructor option of upstream {@code SwinTransformer3D} (Video Swin) and {@code
 * SwinTransformerBEVT}, under Java names, validated at construction: errors name the upstream
 * option, the value and the constraint ({@link InvalidOptionException}).
 *
 * @param patchSize (pd, ph, pw), upstream {@code patch_size}
 * @param inChans input channels
 * @param embedDim C0, channels of stage 1 (stage i has C0*2^i)
 * @param depths blocks per stage
 * @param numHeads attention heads per stage
 * @param windowSize (Wd, Wh, Ww)
 * @param mlpRatio MLP hidden width / C
 * @param qkvBias bias on the qkv projection
 * @param qkScale overrides head_dim^-0.5 when non-null and non-zero
 * @param dropRate dropout after patch embedding, in attention proj and MLP
 * @param attnDropRate dropout on attention probabilities
 * @param dropPathRate stochastic depth, linear from 0 over all blocks
 * @param patchNorm LayerNorm after the patch embedding
 * @param frozenStages -1: none; 0: patch embedding frozen; k >= 1: also stages 1..k
 * @param bevt BEVT mode ({@code SwinTransformerBEVT}): adds {@code patch_embed_2d}, {@code
 *     mask_token} and the decoder parameters ({@code lm_down}, {@code fpn}, {@code lm_down_st},
 *     {@code fpn_s}, {@code fpn_t}), enables masking and the image stream
 * @param imageMaskQuirk image stream only: reproduce BEVT's behaviour (shift mask added in every
 *     block, last stage still shifted); false gives standard 2-D Swin (mask only in shifted blocks,
 *     no shift when the grid is not larger than the window)
 */
public record SwinConfig(
    int[] patchSize,
    int inChans,
    int embedDim,
    int[] depths,
    int[] numHeads,
    int[] windowSize,
    double mlpRatio,
    boolean qkvBias,
    Double qkScale,
    double dropRate,
    double attnDropRate,
    double dropPathRate,
    boolean patchNorm,
    int frozenStages,
    boolean bevt,
    boolean imageMaskQuirk) {

  /** Upstream constructor option names understood by {@link #fromUpstream}. */
  public static final Set<String> UPSTREAM_KEYS =
      new LinkedHashSet<>(
          List.of(
              "patch_size", "in_chans", "embed_dim", "depths", "num_heads", "window_size", "mlp_ratio",
              "qkv_bias", "qk_scale", "drop_rate", "attn_drop_rate", "drop_path_rate", "patch_norm",
              "frozen_stages"));

  /** Upstream options that do not change the network and are accepted and ignored. */
  public static final Set<String> UPSTREAM_IGNORED =
      Set.of("pretrained", "pretrained2d", "use_checkpoint", "norm_layer", "pretrained_window_size");

  public SwinConfig {
    patchSize = positive("patch_size", patchSize, 3);
    windowSize = positive("window_size", windowSize, 3);
    depths = positive("depths", depths, -1);
    numHeads = positive("num_heads", numHeads, -1);
    if (depths.length == 0) {
      throw new InvalidOptionException("depths", "[]", "needs at least one stage");
    }
    if (numHeads.length != depths.length) {
      throw new InvalidOptionException(
          "num_heads", Arrays.toString(numHeads), "needs one value per stage (" + depths.length + " stages in depths)");
    }
    if (inChans < 1) {
      throw new InvalidOptionException("in_chans", String.valueOf(inChans), "must be >= 1");
    }
    if (embedDim < 1) {
      throw new InvalidOptionException("embed_dim", String.valueOf(embedDim), "must be >= 1");
    }
    for (int i = 0; i < depths.length; i++) {
      long dim = (long) embedDim << i;
      if (dim % numHeads[i] != 0) {
        throw new InvalidOptionException(
            "num_heads",
            Arrays.toString(numHeads),
            "stage " + i + " width " + dim + " (embed_dim*2^" + i + ") is not divisible by " + numHeads[i] + " heads");
      }
    }
    if (!(mlpRatio > 0) || (long) (embedDim * mlpRatio) < 1) {
      throw new InvalidOptionException("mlp_ratio", String.valueOf(mlpRatio), "must give a hidden width >= 1");
    }
    rate("drop_rate", dropRate);
    rate("attn_drop_rate", attnDropRate);
    rate("drop_path_rate", dropPathRate);
    if (qkScale != null && !(qkScale >= 0)) {
      throw new InvalidOptionException("qk_scale", String.valueOf(qkScale), "must be null or >= 0");
    }
    if (frozenStages < -1 || frozenStages > depths.length) {
      throw new InvalidOptionException(
          "frozen_stages", String.valueOf(frozenStages), "must be in [-1, " + depths.length + "]");
    }
    if (bevt && depths.length < 2) {
      throw new InvalidOptionException(
          "depths", Arrays.toString(depths), "BEVT mode needs at least 2 stages (its decoder fuses the last two)");
    }
  }

  private static int[] positive(String key, int[] v, int len) {
    if (v == null) {
      throw new InvalidOptionException(key, "null", "is required");
    }
    if (len >= 0 && v.length != len) {
      throw new InvalidOptionException(key, Arrays.toString(v), "needs " + len + " values");
    }
    for (int x : v) {
      if (x < 1) {
        throw new InvalidOptionException(key, Arrays.toString(v), "values must be >= 1");
      }
    }
    return v.clone();
  }

  private static void rate(String key, double r) {
    if (!(r >= 0 && r < 1)) {
      throw new InvalidOptionException(key, String.valueOf(r), "must be in [0, 1)");
    }
  }

  @Override
  public int[] patchSize() {
    return patchSize.clone();
  }

  @Override
  public int[] depths() {
    return depths.clone();
  }

  @Override
  public int[] numHeads() {
    return numHeads.clone();
  }

  @Override
  public int[] windowSize() {
    return windowSize.clone();
  }

  /** Number of stages. */
  public int numLayers() {
    return depths.length;
  }

  /** Channels of stage i (0-based): embed_dim * 2^i. */
  public int dim(int stage) {
    return embedDim << stage;
  }

  /** F = embed_dim * 2^(L-1), the width of the last stage (and of the BEVT decoder output). */
  public int numFeatures() {
    return dim(depths.length - 1);
  }

  /** Total number of blocks. */
  public int totalBlocks() {
    int n = 0;
    for (int d : depths) {
      n += d;
    }
    return n;
  }

  /** A builder preloaded with this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder starting from Video Swin's constructor defaults (Swin-T widths, patch (4,4,4), window (2,7,7)). */
  public static Builder builder() {
    return new Builder(
        new SwinConfig(
            new int[] {4, 4, 4}, 3, 96, new int[] {2, 2, 6, 2}, new int[] {3, 6, 12, 24}, new int[] {2, 7, 7},
            4.0, true, null, 0.0, 0.0, 0.2, false, -1, false, true));
  }

  /**
   * Builds from upstream constructor names and values (e.g. a fixture's {@code
   * constructor_config}, or JSON parsed to a map): numbers, booleans, lists of numbers, or null
   * (qk_scale). Missing options take the upstream constructor defaults (see {@link #builder()});
   * {@link #UPSTREAM_IGNORED} options are ignored, and so are the {@code extraIgnored} ones (e.g.
   * a head's {@code vocab_size}); any other unknown option is an error naming the known ones.
   *
   * @param bevt build {@code SwinTransformerBEVT} rather than {@code SwinTransformer3D}
   */
  public static SwinConfig fromUpstream(Map<String, ?> options, boolean bevt, Set<String> extraIgnored) {
    Builder b = builder().bevt(bevt);
    Set<String> unknown = new TreeSet<>();
    for (Map.Entry<String, ?> e : options.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      switch (k) {
        case "patch_size" -> b.patchSize(triple(k, v));
        case "in_chans" -> b.inChans(integer(k, v));
        case "embed_dim" -> b.embedDim(integer(k, v));
        case "depths" -> b.depths(ints(k, v));
        case "num_heads" -> b.numHeads(ints(k, v));
        case "window_size" -> b.windowSize(triple(k, v));
        case "mlp_ratio" -> b.mlpRatio(number(k, v));
        case "qkv_bias" -> b.qkvBias(bool(k, v));
        case "qk_scale" -> b.qkScale(v == null ? null : number(k, v));
        case "drop_rate" -> b.dropRate(number(k, v));
        case "attn_drop_rate" -> b.attnDropRate(number(k, v));
        case "drop_path_rate" -> b.dropPathRate(number(k, v));
        case "patch_norm" -> b.patchNorm(bool(k, v));
        case "frozen_stages" -> b.frozenStages(integer(k, v));
        default -> {
          if (!UPSTREAM_IGNORED.contains(k) && !extraIgnored.contains(k)) {
            unknown.add(k);
          }
        }
      }
    }
    if (!unknown.isEmpty()) {
      throw new InvalidOptionException(
          unknown.iterator().next(), String.valueOf(options.get(unknown.iterator().next())),
          "unknown option(s) " + unknown + "; known: " + UPSTREAM_KEYS);
    }
    return b.build();
  }

  private static double number(String k, Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new InvalidOptionException(k, String.valueOf(v), "expected a number");
  }

  private static int integer(String k, Object v) {
    double d = number(k, v);
    if (d != Math.rint(d)) {
      throw new InvalidOptionException(k, String.valueOf(v), "expected an integer");
    }
    return (int) d;
  }

  private static boolean bool(String k, Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    throw new InvalidOptionException(k, String.valueOf(v), "expected true or false");
  }

  private static int[] ints(String k, Object v) {
    if (v instanceof List<?> l) {
      int[] out = new int[l.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = integer(k, l.get(i));
      }
      return out;
    }
    if (v instanceof int[] a) {
      return a.clone();
    }
    throw new InvalidOptionException(k, String.valueOf(v), "expected a list of integers");
  }

  private static int[] triple(String k, Object v) {
    if (v instanceof Number) {
      int x = integer(k, v);
      return new int[] {x, x, x};
    }
    return ints(k, v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SwinConfig c
        && Arrays.equals(patchSize, c.patchSize) && inChans == c.inChans && embedDim == c.embedDim
        && Arrays.equals(depths, c.depths) && Arrays.equals(numHeads, c.numHeads)
        && Arrays.equals(windowSize, c.windowSize) && mlpRatio == c.mlpRatio && qkvBias == c.qkvBias
        && java.util.Objects.equals(qkScale, c.qkScale) && dropRate == c.dropRate
        && attnDropRate == c.attnDropRate && dropPathRate == c.dropPathRate && patchNorm == c.patchNorm
        && frozenStages == c.frozenStages && bevt == c.bevt && imageMaskQuirk == c.imageMaskQuirk;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(Arrays.hashCode(depths), embedDim, Arrays.hashCode(windowSize), bevt);
  }

  @Override
  public String toString() {
    return "SwinConfig[patch_size=" + Arrays.toString(patchSize) + ", in_chans=" + inChans + ", embed_dim="
        + embedDim + ", depths=" + Arrays.toString(depths) + ", num_heads=" + Arrays.toString(numHeads)
        + ", window_size=" + Arrays.toString(windowSize) + ", mlp_ratio=" + mlpRatio + ", qkv_bias=" + qkvBias
        + ", qk_scale=" + qkScale + ", drop_rate=" + dropRate + ", attn_drop_rate=" + attnDropRate
        + ", drop_path_rate=" + dropPathRate + ", patch_norm=" + patchNorm + ", frozen_stages=" + frozenStages
        + ", bevt=" + bevt + ", image_mask_quirk=" + imageMaskQuirk + "]";
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private int[] patchSize;
    private int inChans;
    private int embedDim;
    private int[] depths;
    private int[] numHeads;
    private int[] windowSize;
    private double mlpRatio;
    private boolean qkvBias;
    private Double qkScale;
    private double dropRate;
    private double attnDropRate;
    private double dropPathRate;
    private boolean patchNorm;
    private int frozenStages;
    private boolean bevt;
    private boolean imageMaskQuirk;

    private Builder(SwinConfig c) {
      patchSize = c.patchSize;
      inChans = c.inChans;
      embedDim = c.embedDim;
      depths = c.depths;
      numHeads = c.numHeads;
      windowSize = c.windowSize;
      mlpRatio = c.mlpRatio;
      qkvBias = c.qkvBias;
      qkScale = c.qkScale;
      dropRate = c.dropRate;
      attnDropRate = c.attnDropRate;
      dropPathRate = c.dropPathRate;
      patchNorm = c.patchNorm;
      frozenStages = c.frozenStages;
      bevt = c.bevt;
      imageMaskQuirk = c.imageMaskQuirk;
    }

    public Builder patchSize(int... v) { patchSize = v.clone(); return this; }
    public Builder inChans(int v) { inChans = v; return this; }
    public Builder embedDim(int v) { embedDim = v; return this; }
    public Builder depths(int... v) { depths = v.clone(); return this; }
    public Builder numHeads(int... v) { numHeads = v.clone(); return this; }
    public Builder windowSize(int... v) { windowSize = v.clone(); return this; }
    public Builder mlpRatio(double v) { mlpRatio = v; return this; }
    public Builder qkvBias(boolean v) { qkvBias = v; return this; }
    public Builder qkScale(Double v) { qkScale = v; return this; }
    public Builder dropRate(double v) { dropRate = v; return this; }
    public Builder attnDropRate(double v) { attnDropRate = v; return this; }
    public Builder dropPathRate(double v) { dropPathRate = v; return this; }
    public Builder patchNorm(boolean v) { patchNorm = v; return this; }
    public Builder frozenStages(int v) { frozenStages = v; return this; }
    public Builder bevt(boolean v) { bevt = v; return this; }
    public Builder imageMaskQuirk(boolean v) { imageMaskQuirk = v; return this; }

    public SwinConfig build() {
      return new SwinConfig(
          patchSize, inChans, embedDim, depths, numHeads, windowSize, mlpRatio, qkvBias, qkScale, dropRate,
          attnDropRate, dropPathRate, patchNorm, frozenStages, bevt, imageMaskQuirk);
    }
  }
}
