package org.bevt4j.timesformer;

/**
 * The TimeSformer {@code VisionTransformer} constructor arguments (upstream names in the javadoc,
 * upstream meaning), plus the BEVT additions. Validated at construction; a bad value throws a
 * {@link ConfigProblem} naming the upstream field.
 *
 * @param imgSize {@code img_size}: training resolution; fixes the {@code pos_embed} grid
 *     {@code (img_size / patch_size)^2}
 * @param patchSize {@code patch_size}
 * @param inChans {@code in_chans}
 * @param numClasses {@code num_classes}: 0 = no {@code head} (a pretraining backbone)
 * @param embedDim {@code embed_dim}
 * @param depth {@code depth}
 * @param numHeads {@code num_heads}
 * @param mlpRatio {@code mlp_ratio}: MLP hidden width = {@code int(embed_dim * mlp_ratio)}
 * @param qkvBias {@code qkv_bias}
 * @param qkScale {@code qk_scale}: null = {@code head_dim^-0.5}
 * @param dropRate {@code drop_rate}: dropout after pos/time embeddings, in the MLP and after proj
 * @param attnDropRate {@code attn_drop_rate}
 * @param dropPathRate {@code drop_path_rate}: stochastic depth, linspace(0, rate, depth)
 * @param numFrames {@code num_frames}: clip length the {@code time_embed} is sized for
 * @param attentionType {@code attention_type}
 * @param layerNormEps eps of every LayerNorm (the repo's wrappers use 1e-6)
 * @param bevt the BEVT additions
 */
public record TimeSformerConfig(
    int imgSize,
    int patchSize,
    int inChans,
    int numClasses,
    int embedDim,
    int depth,
    int numHeads,
    double mlpRatio,
    boolean qkvBias,
    Double qkScale,
    double dropRate,
    double attnDropRate,
    double dropPathRate,
    int numFrames,
    AttentionType attentionType,
    double layerNormEps,
    BevtOptions bevt) {

  public TimeSformerConfig {
    positive("patch_size", patchSize);
    positive("in_chans", inChans);
    positive("embed_dim", embedDim);
    positive("depth", depth);
    positive("num_heads", numHeads);
    positive("num_frames", numFrames);
    if (imgSize < patchSize) {
      throw new ConfigProblem("img_size", "must be >= patch_size (" + patchSize + "), got " + imgSize);
    }
    if (numClasses < 0) {
      throw new ConfigProblem("num_classes", "must be >= 0 (0 = no head), got " + numClasses);
    }
    if (embedDim % numHeads != 0) {
      throw new ConfigProblem("num_heads", "embed_dim " + embedDim + " is not divisible by num_heads " + numHeads);
    }
    if (!(mlpRatio > 0) || (int) (embedDim * mlpRatio) < 1) {
      throw new ConfigProblem("mlp_ratio", "must give an MLP width >= 1, got " + mlpRatio);
    }
    if (qkScale != null && !(qkScale > 0)) {
      throw new ConfigProblem("qk_scale", "must be > 0 or null, got " + qkScale);
    }
    probability("drop_rate", dropRate);
    probability("attn_drop_rate", attnDropRate);
    probability("drop_path_rate", dropPathRate);
    if (!(layerNormEps > 0 && layerNormEps < 1)) {
      throw new ConfigProblem("layer_norm_eps", "must be in (0, 1), got " + layerNormEps);
    }
    if (attentionType == null) {
      throw new ConfigProblem("attention_type", "must be one of " + String.join(", ", AttentionType.upstreamNames()));
    }
    if (bevt == null) {
      throw new IllegalArgumentException("bevt options must not be null (use BevtOptions.upstream())");
    }
    if (numFrames % bevt.tubeletSize() != 0) {
      throw new ConfigProblem(
          "tubelet_size", "num_frames " + numFrames + " is not a multiple of tubelet_size " + bevt.tubeletSize());
    }
    int m = bevt.maskPatchSize();
    if (m % patchSize != 0 && patchSize % m != 0) {
      throw new ConfigProblem(
          "mask_patch_size",
          "must be a multiple or a divisor of patch_size " + patchSize + " (decoders merge or split tokens), got " + m);
    }
    int mf = bevt.maskFrames();
    int k = bevt.tubeletSize();
    if (mf % k != 0 && k % mf != 0) {
      throw new ConfigProblem("mask_frames", "must be a multiple or a divisor of tubelet_size " + k + ", got " + mf);
    }
  }

  private static void positive(String field, int v) {
    if (v < 1) {
      throw new ConfigProblem(field, "must be >= 1, got " + v);
    }
  }

  private static void probability(String field, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new ConfigProblem(field, "must be in [0, 1), got " + v);
    }
  }

  /** Side of the {@code pos_embed} grid: {@code img_size / patch_size}. */
  public int gridSize() {
    return imgSize / patchSize;
  }

  /** Rows of {@code time_embed}: {@code num_frames / tubelet_size}. */
  public int timeEmbedRows() {
    return numFrames / bevt.tubeletSize();
  }

  /** MLP hidden width, {@code int(embed_dim * mlp_ratio)} as upstream. */
  public int mlpHidden() {
    return (int) (embedDim * mlpRatio);
  }

  /** Stochastic-depth rate of block {@code i} ({@code torch.linspace(0, rate, depth)}). */
  public double dropPath(int i) {
    return depth == 1 ? 0 : dropPathRate * i / (depth - 1);
  }

  /** A copy with other BEVT options. */
  public TimeSformerConfig withBevt(BevtOptions options) {
    return new TimeSformerConfig(
        imgSize, patchSize, inChans, numClasses, embedDim, depth, numHeads, mlpRatio, qkvBias, qkScale, dropRate,
        attnDropRate, dropPathRate, numFrames, attentionType, layerNormEps, options);
  }

  /** A copy with another attention type. */
  public TimeSformerConfig withAttentionType(AttentionType type) {
    return new TimeSformerConfig(
        imgSize, patchSize, inChans, numClasses, embedDim, depth, numHeads, mlpRatio, qkvBias, qkScale, dropRate,
        attnDropRate, dropPathRate, numFrames, type, layerNormEps, bevt);
  }

  /** A copy with another LayerNorm eps. */
  public TimeSformerConfig withLayerNormEps(double eps) {
    return new TimeSformerConfig(
        imgSize, patchSize, inChans, numClasses, embedDim, depth, numHeads, mlpRatio, qkvBias, qkScale, dropRate,
        attnDropRate, dropPathRate, numFrames, attentionType, eps, bevt);
  }

  /** A copy with stochastic depth and dropouts switched off (deterministic training tests). */
  public TimeSformerConfig withoutDropout() {
    return new TimeSformerConfig(
        imgSize, patchSize, inChans, numClasses, embedDim, depth, numHeads, mlpRatio, qkvBias, qkScale, 0, 0, 0,
        numFrames, attentionType, layerNormEps, bevt);
  }
}
