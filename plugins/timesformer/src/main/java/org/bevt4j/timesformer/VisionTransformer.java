package org.bevt4j.timesformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.io.StateDict;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.NearestResize;
import org.bevt4j.nn.Ops;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.fused.Attention;

/**
 * TimeSformer {@code VisionTransformer} (facebookresearch/TimeSformer {@code vit.py}) as a BEVT
 * backbone, with the upstream state-dict names: {@code cls_token}, {@code pos_embed},
 * {@code time_embed}, {@code patch_embed.proj.*}, {@code blocks.i.*} (see {@link TimeSformerBlock}),
 * {@code norm.*}, {@code head.*}; plus, when configured, {@code mask_token} and
 * {@code patch_embed_2d.proj.*}.
 *
 * <p><b>Video stream</b> ({@link #forwardVideo}) is the upstream {@code forward_features}: patchify,
 * (BEVT) replace masked patch embeddings by {@code mask_token}, prepend cls, add {@code pos_embed}
 * (legacy-nearest resized if the grid differs), add {@code time_embed} (resized if T differs), the
 * blocks of the configured {@link AttentionType}, {@code norm}.
 *
 * <p><b>Image stream</b> ({@link #forwardImage}) runs the same weights on single images; see {@link
 * BevtOptions.ImageTemporal} for how the temporal part is treated.
 *
 * <p><b>Output</b>: one map {@code tokens}, the sequence {@code (B, 1 + t*h*w, C)} <i>after</i> the
 * final {@code norm}, prefix 1 (the cls token, whose row is upstream's {@code forward_features}
 * output) and the patch tokens reordered from upstream's patch-major {@code (h w t)} layout to
 * bevt4j's {@code (t, h, w)} order; grid = the token grid {@code (T/tubelet, H/p, W/p)}.
 * For {@code space_only} the cls row is {@code norm(mean over frames)} as upstream, the patch rows
 * are each frame's normalised tokens.
 */
public final class VisionTransformer extends Module implements Backbone {
  /** Name of the feature map in {@link BackboneOutput}. */
  public static final String TOKENS = "tokens";

  private final TimeSformerConfig config;
  private final MaskGeometry geometry;
  private final Param clsToken;
  private final Param posEmbed;
  private final Param timeEmbed;
  private final Param maskToken;
  private final PatchEmbed patchEmbed;
  private final PatchEmbed patchEmbed2d;
  private final List<TimeSformerBlock> blocks = new ArrayList<>();
  private final LayerNorm norm;
  private final Linear head;
  private final Attention.Mode attention;

  /** Which block semantics a forward pass uses. */
  private enum Path {
    SPATIAL,
    DIVIDED,
    JOINT
  }

  /** A finished encoding: tokens in (t, h, w) order after norm, and the cls features. */
  private record Encoded(NDArray tokens, NDArray features, TokenGrid grid) {}

  /** A model computing attention with the composite (reference) implementation. */
  public VisionTransformer(TimeSformerConfig c) {
    this(c, Attention.Mode.COMPOSITE);
  }

  /**
   * A model computing every attention (spatial, temporal, joint) with {@code attention} (setting
   * {@code attention}): both modes give the same values and gradients to float rounding.
   */
  public VisionTransformer(TimeSformerConfig c, Attention.Mode attention) {
    if (attention == null) {
      throw new IllegalArgumentException("attention mode must not be null");
    }
    this.config = c;
    this.attention = attention;
    this.geometry = MaskGeometry.of(c);
    int dim = c.embedDim();
    int grid = c.gridSize();
    this.clsToken = param("cls_token", new Shape(1, 1, dim), Init.truncNormal(0.02));
    this.posEmbed = param("pos_embed", new Shape(1, 1L + (long) grid * grid, dim), Init.truncNormal(0.02));
    this.timeEmbed =
        c.attentionType().hasTimeEmbed() ? param("time_embed", new Shape(1, c.timeEmbedRows(), dim), Init.zeros()) : null;
    this.maskToken = c.bevt().maskToken() ? param("mask_token", new Shape(1, 1, dim), Init.truncNormal(0.02)) : null;
    this.patchEmbed = child("patch_embed", new PatchEmbed(c.inChans(), dim, c.patchSize(), c.bevt().tubeletSize()));
    this.patchEmbed2d =
        c.bevt().patchEmbed2d() == BevtOptions.PatchEmbed2d.SEPARATE
            ? child("patch_embed_2d", new PatchEmbed(c.inChans(), dim, c.patchSize(), 1))
            : null;
    for (int i = 0; i < c.depth(); i++) {
      blocks.add(child("blocks." + i, new TimeSformerBlock(c, c.dropPath(i), attention)));
    }
    this.norm = child("norm", new LayerNorm(dim, c.layerNormEps()));
    this.head =
        c.numClasses() > 0
            ? child("head", new Linear(dim, c.numClasses(), true, Init.truncNormal(0.02), Init.zeros()))
            : null;
  }

  /** Builds and initialises a model (parameters owned by {@code manager}). */
  public static VisionTransformer create(TimeSformerConfig c, NDManager manager) {
    return create(c, Attention.Mode.COMPOSITE, manager);
  }

  /** Builds and initialises a model computing attention with {@code attention}. */
  public static VisionTransformer create(TimeSformerConfig c, Attention.Mode attention, NDManager manager) {
    VisionTransformer m = new VisionTransformer(c, attention);
    m.initialize(manager);
    return m;
  }

  /**
   * Builds and initialises a model from upstream {@code VisionTransformer} constructor arguments in
   * JSON (see {@link UpstreamConfig}), e.g. a reference fixture's {@code constructor_config}.
   */
  public static VisionTransformer fromUpstreamJson(String json, NDManager manager) {
    return create(UpstreamConfig.parse(json), manager);
  }

  /** {@link #fromUpstreamJson(String, NDManager)} computing attention with {@code attention}. */
  public static VisionTransformer fromUpstreamJson(String json, Attention.Mode attention, NDManager manager) {
    return create(UpstreamConfig.parse(json), attention, manager);
  }

  /** How attention is computed. */
  public Attention.Mode attentionMode() {
    return attention;
  }

  public TimeSformerConfig config() {
    return config;
  }

  public MaskGeometry geometry() {
    return geometry;
  }

  public List<TimeSformerBlock> blocks() {
    return Collections.unmodifiableList(blocks);
  }

  public boolean hasHead() {
    return head != null;
  }

  // ---- Backbone ---------------------------------------------------------------------------------

  @Override
  public BackboneOutput forwardVideo(NDArray video, NDArray mask, boolean training) {
    Encoded e = encodeVideo(video, mask, training, null);
    return output(StreamKind.VIDEO, e);
  }

  @Override
  public boolean supportsImages() {
    return true;
  }

  @Override
  public BackboneOutput forwardImage(NDArray images, NDArray mask, boolean training) {
    PatchEmbed pe = patchEmbed2d != null ? patchEmbed2d : patchEmbed;
    PatchEmbed.Tokens tok = pe.image(images);
    Path path =
        config.bevt().imageTemporal() == BevtOptions.ImageTemporal.UPSTREAM ? videoPath() : Path.SPATIAL;
    return output(StreamKind.IMAGE, encode(tok, mask, path, training, null));
  }

  @Override
  public TokenGrid maskGrid(StreamKind stream, int frames, int height, int width) {
    return geometry.maskGrid(stream, frames, height, width);
  }

  @Override
  public String defaultDecoder(StreamKind stream) {
    return stream == StreamKind.IMAGE ? TimeSformerDecoder.IMAGE_TYPE : TimeSformerDecoder.VIDEO_TYPE;
  }

  @Override
  public StateDict inflate(StateDict imageState) {
    return new TimeSformerInflater(this).inflate(imageState);
  }

  @Override
  public int numFeatures() {
    return config.embedDim();
  }

  // ---- upstream-style entry points -------------------------------------------------------------

  /** Upstream {@code forward_features}: the cls vector after {@code norm}, {@code (B, C)}. */
  public NDArray forwardFeatures(NDArray video, boolean training) {
    return encodeVideo(video, null, training, null).features();
  }

  /** Upstream {@code forward}: {@code head(forward_features(x))}, {@code (B, num_classes)}. */
  public NDArray forwardLogits(NDArray video, boolean training) {
    return logits(forwardFeatures(video, training));
  }

  /** Applies {@code head} to cls features. */
  public NDArray logits(NDArray features) {
    if (head == null) {
      throw new IllegalStateException("this TimeSformer has no head (num_classes = 0)");
    }
    return head.forward(features);
  }

  /**
   * The video forward with intermediate captures in upstream layout, named as the reference fixture's
   * {@code mid.*}: {@code tokens_in} (the input of {@code blocks.0}), {@code blocks.i} (each block's
   * output) and {@code norm} (the output of {@code norm}; for {@code space_only}, of the frame mean).
   * Returns the cls features {@code (B, C)}.
   */
  public NDArray forwardTraced(NDArray video, NDArray mask, boolean training, BiConsumer<String, NDArray> tap) {
    return encodeVideo(video, mask, training, tap).features();
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    NDArray f = forwardFeatures(inputs.head(), training);
    return head == null ? new NDList(f) : new NDList(f, logits(f));
  }

  // ---- internals --------------------------------------------------------------------------------

  private Path videoPath() {
    return switch (config.attentionType()) {
      case DIVIDED_SPACE_TIME -> Path.DIVIDED;
      case SPACE_ONLY -> Path.SPATIAL;
      case JOINT_SPACE_TIME -> Path.JOINT;
    };
  }

  private Encoded encodeVideo(NDArray video, NDArray mask, boolean training, BiConsumer<String, NDArray> tap) {
    return encode(patchEmbed.video(video), mask, videoPath(), training, tap);
  }

  private static void tap(BiConsumer<String, NDArray> tap, String name, NDArray x) {
    if (tap != null) {
      tap.accept(name, x);
    }
  }

  private Encoded encode(PatchEmbed.Tokens tok, NDArray mask, Path path, boolean training, BiConsumer<String, NDArray> tap) {
    long b = tok.batch();
    long t = tok.t();
    long n = (long) tok.h() * tok.w();
    long c = config.embedDim();
    NDArray x = tok.x(); // (B*t, N, C)
    if (mask != null) {
      x = applyMask(x, mask, tok);
    }
    NDArray cls = clsToken.array().broadcast(b * t, 1, c);
    x = NDArrays.concat(new NDList(cls, x), 1).add(Embeddings.pos(posEmbed.array(), tok.h(), tok.w()));
    x = Ops.dropout(x, config.dropRate(), training);
    TokenGrid grid = new TokenGrid(tok.t(), tok.h(), tok.w());
    if (path == Path.SPATIAL) {
      tap(tap, "tokens_in", x);
      for (int i = 0; i < blocks.size(); i++) {
        x = blocks.get(i).forwardPlain(x, training);
        tap(tap, "blocks." + i, x);
      }
      NDArray framesNormed = norm.forward(x); // (B*t, 1+N, C)
      NDArray meanNormed = t == 1 ? framesNormed : norm.forward(x.reshape(b, t, 1 + n, c).mean(new int[] {1}));
      tap(tap, "norm", meanNormed);
      NDArray clsOut = meanNormed.get(":, 0:1, :");
      NDArray patches = framesNormed.get(":, 1:, :").reshape(b, t * n, c);
      return new Encoded(NDArrays.concat(new NDList(clsOut, patches), 1), meanNormed.get(":, 0, :"), grid);
    }
    // Upstream takes x[:B, 0] (rows of the (b t) layout; identical unless dropout differs per row).
    NDArray cls0 = x.get("0:" + b + ", 0:1, :");
    NDArray p = x.get(":, 1:, :").reshape(b, t, n, c).transpose(0, 2, 1, 3).reshape(b * n, t, c);
    p = p.add(Embeddings.time(timeEmbed.array(), (int) t));
    p = Ops.dropout(p, config.dropRate(), training);
    x = NDArrays.concat(new NDList(cls0, p.reshape(b, n * t, c)), 1); // (B, 1 + N*T, C), index 1 + n*T + t
    tap(tap, "tokens_in", x);
    for (int i = 0; i < blocks.size(); i++) {
      TimeSformerBlock blk = blocks.get(i);
      x = path == Path.DIVIDED ? blk.forwardDivided(x, b, t, n, training) : blk.forwardPlain(x, training);
      tap(tap, "blocks." + i, x);
    }
    NDArray normed = norm.forward(x);
    tap(tap, "norm", normed);
    NDArray patches = normed.get(":, 1:, :").reshape(b, n, t, c).transpose(0, 2, 1, 3).reshape(b, t * n, c);
    NDArray tokens = NDArrays.concat(new NDList(normed.get(":, 0:1, :"), patches), 1);
    return new Encoded(tokens, normed.get(":, 0, :"), grid);
  }

  /**
   * Replaces masked patch embeddings by {@code mask_token} before the position/time embeddings are
   * added (BEiT style, so masked tokens keep their position). The mask {@code (B, t, h, w)} (video)
   * or {@code (B, h, w)} (image), true = masked, is nearest-resized to the token grid.
   */
  private NDArray applyMask(NDArray x, NDArray mask, PatchEmbed.Tokens tok) {
    if (maskToken == null) {
      throw new IllegalStateException(
          "this TimeSformer was built without mask_token (mask-token = false), so it cannot take a mask");
    }
    Shape ms = mask.getShape();
    boolean image = tok.t() == 1 && ms.dimension() == 3;
    if (!(ms.dimension() == 4 || image) || ms.get(0) != tok.batch()) {
      throw new IllegalArgumentException(
          "mask must be (B, t, h, w) for clips or (B, h, w) for images with B = " + tok.batch() + ", got " + ms);
    }
    NDArray m = image ? mask.expandDims(1) : mask;
    m = NearestResize.resize(m, 1, tok.t(), tok.h(), tok.w());
    m = m.toType(DataType.FLOAT32, false).reshape((long) tok.batch() * tok.t(), (long) tok.h() * tok.w(), 1);
    NDArray keep = m.neg().add(1f);
    return x.mul(keep).add(maskToken.array().mul(m));
  }

  private BackboneOutput output(StreamKind stream, Encoded e) {
    return new BackboneOutput(stream, List.of(FeatureMap.sequence(TOKENS, e.tokens(), e.grid(), 1)));
  }

  /** {@code patch_embed}, for weight adaptation. */
  PatchEmbed patchEmbed() {
    return patchEmbed;
  }
}
