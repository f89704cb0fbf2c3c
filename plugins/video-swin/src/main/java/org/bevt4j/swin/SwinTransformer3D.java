package org.bevt4j.swin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.io.StateDict;
import org.bevt4j.nn.ConvTransposeKEqS;
import org.bevt4j.nn.DropPath;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Interpolate;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Ops;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.WindowCaches;
import org.bevt4j.nn.fused.Attention;
import org.bevt4j.swin.bevt.BevtHeads;
import org.bevt4j.swin.layers.PatchEmbed2D;
import org.bevt4j.swin.layers.PatchEmbed3D;
import org.bevt4j.swin.layers.StageGeometry;
import org.bevt4j.swin.layers.SwinStage;
import org.bevt4j.swin.weights.SwinInflation;

/**
 * Video Swin Transformer ({@code SwinTransformer3D}) and, with {@link SwinConfig#bevt()}, BEVT's
 * {@code SwinTransformerBEVT}: one module whose parameters carry the upstream state-dict names
 * ({@code patch_embed.proj.weight}, {@code layers.i.blocks.j.attn.relative_position_bias_table},
 * ..., {@code norm.weight}; in BEVT mode also {@code patch_embed_2d.*}, {@code mask_token}, {@code
 * lm_down.*}, {@code fpn.0.*}, {@code lm_down_st.0.*}, {@code fpn_s.0.*}, {@code fpn_t.0.*}), so a
 * BEVT checkpoint's {@code backbone.*} fills everything, decoders included.
 *
 * <p>Output maps of {@link #forwardVideo} / {@link #forwardImage}, channels-first {@code (B, C, t,
 * h, w)} (images: t = 1), in this order:
 *
 * <ul>
 *   <li>{@code stageK.pre} (K = 1..L-1): stage K's output before its PatchMerging (BEVT's {@code
 *       x_}, e.g. {@code stage3.pre} is the decoder's x3);
 *   <li>{@code stageK} (K = 1..L): stage K's output as upstream's layer returns it, after its
 *       PatchMerging ({@code stageL} is BEVT's x4);
 *   <li>{@code features}: {@code norm(stageL)}, the Video Swin backbone output.
 * </ul>
 *
 * <p>Masks (BEVT mode only) are boolean {@code (B, t, h, w)} / {@code (B, h, w)} on any grid; they
 * are nearest-upsampled (PyTorch legacy nearest) to the patch grid and masked positions get {@code
 * mask_token} after the patch-embedding norm. {@link #maskGrid} is the BEVT grid: the stage-(L-1)
 * grid spatially (H/16 for patch 4 and 4 stages: 14x14 for 224 px), the patch grid in time
 * (T/2: 8 for 16 frames), i.e. one cell per DALL-E token of a 112-px frame pair.
 */
public final class SwinTransformer3D extends Module implements Backbone {
  /** Name of the normed final map. */
  public static final String FEATURES = "features";

  private final SwinConfig config;
  private final WindowCaches caches;
  private final PatchEmbed3D patchEmbed;
  private final PatchEmbed2D patchEmbed2d;
  private final Param maskToken;
  private final List<SwinStage> stages = new ArrayList<>();
  private final LayerNorm norm;
  private final BevtHeads heads;
  private final Attention.Mode attention;

  /** A model computing window attention with the composite (reference) implementation. */
  public SwinTransformer3D(SwinConfig config) {
    this(config, Attention.Mode.COMPOSITE);
  }

  /**
   * A model computing window attention with {@code attention} (setting {@code attention}): both
   * modes give the same values and gradients to float rounding.
   */
  public SwinTransformer3D(SwinConfig config, Attention.Mode attention) {
    if (attention == null) {
      throw new IllegalArgumentException("attention mode must not be null");
    }
    this.config = config;
    this.attention = attention;
    int c0 = config.embedDim();
    this.patchEmbed = child("patch_embed", new PatchEmbed3D(config.patchSize(), config.inChans(), c0, config.patchNorm()));
    this.caches = new WindowCaches(() -> patchEmbed.proj().weight().array().getManager());
    if (config.bevt()) {
      this.patchEmbed2d =
          child("patch_embed_2d", new PatchEmbed2D(config.patchSize()[1], config.inChans(), c0, config.patchNorm()));
      this.maskToken = param("mask_token", new Shape(1, 1, c0), Init.truncNormal(0.02));
    } else {
      this.patchEmbed2d = null;
      this.maskToken = null;
    }
    double[] dpr = DropPath.schedule(config.dropPathRate(), config.totalBlocks());
    int offset = 0;
    int[] depths = config.depths();
    for (int i = 0; i < depths.length; i++) {
      double[] rates = java.util.Arrays.copyOfRange(dpr, offset, offset + depths[i]);
      offset += depths[i];
      stages.add(
          child(
              "layers." + i,
              new SwinStage(
                  config.dim(i), config.numHeads()[i], config.windowSize(), config.mlpRatio(), config.qkvBias(),
                  config.qkScale(), config.dropRate(), config.attnDropRate(), rates, i < depths.length - 1, caches,
                  attention)));
    }
    this.norm = child("norm", new LayerNorm(config.numFeatures()));
    this.heads = config.bevt() ? declareBevtHeads(config.numFeatures()) : null;
    freezeStages();
  }

  /** BEVT's decoder parameters, at the backbone's root as upstream (init: Linear trunc-normal .02). */
  private BevtHeads declareBevtHeads(int f) {
    long in = f + f / 2;
    Linear lmDown = child("lm_down", new Linear(in, f, true, Init.truncNormal(0.02), Init.zeros()));
    ConvTransposeKEqS fpn = child("fpn.0", new ConvTransposeKEqS(f, f, 2, 2));
    Linear lmDownSt = child("lm_down_st.0", new Linear(in, f, true, Init.truncNormal(0.02), Init.zeros()));
    ConvTransposeKEqS fpnS = child("fpn_s.0", new ConvTransposeKEqS(f, f, 1, 2, 2));
    ConvTransposeKEqS fpnT = child("fpn_t.0", new ConvTransposeKEqS(f, f, 2, 1, 1));
    return new BevtHeads(config.numLayers(), norm, lmDown, fpn, lmDownSt, fpnS, fpnT);
  }

  private void freezeStages() {
    if (config.frozenStages() >= 0) {
      patchEmbed.setTrainable(false);
    }
    for (int i = 0; i < config.frozenStages(); i++) {
      stages.get(i).setTrainable(false);
    }
  }

  public SwinConfig config() {
    return config;
  }

  /** How window attention is computed. */
  public Attention.Mode attentionMode() {
    return attention;
  }

  /** The shared window caches (relative-position index slices, shift masks). */
  public WindowCaches caches() {
    return caches;
  }

  /** The shared final LayerNorm ({@code norm.*}). */
  public LayerNorm norm() {
    return norm;
  }

  /** BEVT decoder parameters; throws when not in BEVT mode. */
  public BevtHeads bevtHeads() {
    if (heads == null) {
      throw new IllegalStateException(
          "the BEVT decoders need a backbone built in BEVT mode (bevt = true, e.g. preset bevt-base)");
    }
    return heads;
  }

  @Override
  public BackboneOutput forwardVideo(NDArray video, NDArray mask, boolean training) {
    return forwardVideo(video, mask, training, Taps.NONE);
  }

  /** {@link #forwardVideo(NDArray, NDArray, boolean)} with intermediate captures. */
  public BackboneOutput forwardVideo(NDArray video, NDArray mask, boolean training, Taps taps) {
    NDArray x = patchEmbed.forward(video);
    taps.tap("patch_embed", x.transpose(0, 4, 1, 2, 3));
    if (mask != null) {
      x = applyMask(x, mask, false);
    }
    return runStages(x, StreamKind.VIDEO, training, taps);
  }

  @Override
  public boolean supportsImages() {
    return config.bevt();
  }

  @Override
  public BackboneOutput forwardImage(NDArray images, NDArray mask, boolean training) {
    return forwardImage(images, mask, training, Taps.NONE);
  }

  /** {@link #forwardImage(NDArray, NDArray, boolean)} with intermediate captures. */
  public BackboneOutput forwardImage(NDArray images, NDArray mask, boolean training, Taps taps) {
    if (patchEmbed2d == null) {
      throw new UnsupportedOperationException(
          "this video-swin backbone has no image stream: build it in BEVT mode (bevt = true, e.g. preset bevt-base)");
    }
    NDArray x = patchEmbed2d.forward(images);
    taps.tap("patch_embed_2d", x.transpose(0, 3, 1, 2));
    x = x.expandDims(1); // (B, 1, H, W, C): the image stream runs as depth-1 video
    if (mask != null) {
      x = applyMask(x, mask, true);
    }
    return runStages(x, StreamKind.IMAGE, training, taps);
  }

  private NDArray applyMask(NDArray x, NDArray mask, boolean image) {
    if (maskToken == null) {
      throw new UnsupportedOperationException(
          "masking needs the mask token of BEVT mode (bevt = true, e.g. preset bevt-base)");
    }
    Shape xs = x.getShape();
    Shape ms = mask.getShape();
    int rank = image ? 3 : 4;
    if (ms.dimension() != rank || ms.get(0) != xs.get(0)) {
      throw new IllegalArgumentException(
          (image ? "image" : "video") + " mask must be " + (image ? "(B, h, w)" : "(B, t, h, w)") + " with B = "
              + xs.get(0) + ", got " + ms);
    }
    // a private engine-owned copy: autograd keeps it for mask_token's gradient
    NDArray m = mask.toType(DataType.FLOAT32, true);
    if (image) {
      m = m.expandDims(1);
    }
    m = Interpolate.nearest(m, xs.get(1), xs.get(2), xs.get(3)).expandDims(-1);
    NDArray token = maskToken.array().reshape(1, 1, 1, 1, xs.get(4));
    return x.mul(m.neg().add(1f)).add(token.mul(m));
  }

  private BackboneOutput runStages(NDArray x, StreamKind stream, boolean training, Taps taps) {
    boolean image = stream == StreamKind.IMAGE;
    x = Ops.dropout(x, config.dropRate(), training && config.frozenStages() < 1);
    List<FeatureMap> maps = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      SwinStage stage = stages.get(i);
      Shape s = x.getShape();
      long[] grid = {s.get(1), s.get(2), s.get(3)};
      StageGeometry g =
          image
              ? StageGeometry.image(grid[1], grid[2], config.windowSize(), config.imageMaskQuirk(), i, stage.hasDownsample(), caches)
              : StageGeometry.video(grid, config.windowSize(), caches);
      String prefix = "layers." + i;
      if (g.mask() != null) {
        taps.tap(prefix + ".attn_mask", g.mask());
      }
      boolean stageTraining = training && i >= config.frozenStages();
      SwinStage.Output out =
          stage.forward(x, g, stageTraining, (j, y) -> taps.tap(prefix + ".blocks." + j, image ? y.squeeze(1) : y));
      NDArray pre = channelsFirst(out.beforeMerge());
      NDArray post = channelsFirst(out.afterMerge());
      taps.tap(prefix + ".x", image ? pre.squeeze(2) : pre);
      taps.tap(prefix + ".x_down", image ? post.squeeze(2) : post);
      taps.tap(prefix, image ? post.squeeze(2) : post);
      if (stage.hasDownsample()) {
        maps.add(FeatureMap.spatial(preMergeName(i + 1), pre, gridOf(pre)));
      }
      maps.add(FeatureMap.spatial(stageName(i + 1), post, gridOf(post)));
      x = out.afterMerge();
    }
    NDArray features = channelsFirst(norm.forward(x));
    maps.add(FeatureMap.spatial(FEATURES, features, gridOf(features)));
    return new BackboneOutput(stream, maps);
  }

  /** {@code stageK}, K 1-based. */
  public static String stageName(int k) {
    return "stage" + k;
  }

  /** {@code stageK.pre}, K 1-based. */
  public static String preMergeName(int k) {
    return "stage" + k + ".pre";
  }

  private static NDArray channelsFirst(NDArray x) {
    return x.transpose(0, 4, 1, 2, 3);
  }

  private static TokenGrid gridOf(NDArray cf) {
    Shape s = cf.getShape();
    return new TokenGrid(Math.toIntExact(s.get(2)), Math.toIntExact(s.get(3)), Math.toIntExact(s.get(4)));
  }

  @Override
  public TokenGrid maskGrid(StreamKind stream, int frames, int height, int width) {
    int[] p = config.patchSize();
    boolean image = stream == StreamKind.IMAGE;
    long t = image ? 1 : (frames + p[0] - 1) / p[0];
    long h = image ? height / p[1] : (height + p[1] - 1) / p[1];
    long w = image ? width / p[2] : (width + p[2] - 1) / p[2];
    for (int i = 0; i < Math.max(0, config.numLayers() - 2); i++) {
      h = (h + 1) / 2;
      w = (w + 1) / 2;
    }
    return new TokenGrid(Math.toIntExact(t), Math.toIntExact(Math.max(1, h)), Math.toIntExact(Math.max(1, w)));
  }

  @Override
  public String defaultDecoder(StreamKind stream) {
    return stream == StreamKind.IMAGE ? BevtSwinImageDecoderFactory.NAME : BevtSwinVideoDecoderFactory.NAME;
  }

  @Override
  public StateDict inflate(StateDict imageState) {
    return SwinInflation.inflate(imageState, this);
  }

  @Override
  public int numFeatures() {
    return config.numFeatures();
  }

  /** The stages ({@code layers.i}). */
  public List<SwinStage> stages() {
    return List.copyOf(stages);
  }
}
