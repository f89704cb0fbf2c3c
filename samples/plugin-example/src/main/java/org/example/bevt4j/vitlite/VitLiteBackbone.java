package org.example.bevt4j.vitlite;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.nn.DropPath;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Param;

/**
 * The vit-lite backbone: tubelet patch embedding, mask token, learned space ({@code pos_embed})
 * and time ({@code time_embed}) position embeddings, {@code depth} pre-norm blocks with joint
 * space-time attention, and a final {@code norm}. One set of weights serves both streams: an image
 * is embedded as a clip of identical frames (see {@link PatchEmbed}) and gets no time embedding.
 *
 * <p>Masks live on the token grid ({@code T/tubelet x H/p x W/p} for clips, {@code H/p x W/p} for
 * images); masked tokens are replaced by {@code mask_token} after the patch embedding, before the
 * position embeddings (BEiT style: masked tokens stay in the sequence). The output is one
 * {@link FeatureMap#sequence token sequence} named {@value #TOKENS}.
 */
public final class VitLiteBackbone extends Module implements Backbone {
  /** Name of the output feature map. */
  public static final String TOKENS = "tokens";
  /** Default decoder types. */
  public static final String VIDEO_DECODER = "vit-lite-video";

  public static final String IMAGE_DECODER = "vit-lite-image";

  private final VitLiteSettings settings;
  private final PatchEmbed patchEmbed;
  private final Param maskToken;
  private final Param posEmbed;
  private final Param timeEmbed;
  private final List<Block> blocks = new ArrayList<>();
  private final LayerNorm norm;

  private VitLiteBackbone(VitLiteSettings s) {
    this.settings = s;
    int d = s.embedDim();
    this.patchEmbed = child("patch_embed", new PatchEmbed(s.inChans(), d, s.tubeletSize(), s.patchSize()));
    this.maskToken = param("mask_token", new Shape(1, 1, d), Init.truncNormal(0.02));
    this.posEmbed = param("pos_embed", new Shape(1, (long) s.gridSide() * s.gridSide(), d), Init.truncNormal(0.02));
    this.timeEmbed = param("time_embed", new Shape(1, s.temporalTokens(), d), Init.zeros());
    double[] rates = DropPath.schedule(s.dropPathRate(), s.depth());
    for (int i = 0; i < s.depth(); i++) {
      blocks.add(child("blocks." + i, new Block(s, rates[i])));
    }
    this.norm = child("norm", new LayerNorm(d, s.layerNormEps()));
  }

  /** Builds and initialises a backbone; parameters live in {@code manager}. */
  public static VitLiteBackbone create(VitLiteSettings settings, NDManager manager) {
    VitLiteBackbone b = new VitLiteBackbone(settings);
    b.initialize(manager);
    return b;
  }

  public VitLiteSettings settings() {
    return settings;
  }

  @Override
  public BackboneOutput forwardVideo(NDArray video, NDArray mask, boolean training) {
    Shape s = video.getShape();
    requireInput(s, 5, "video (B, C, T, H, W)");
    if (s.get(2) != settings.numFrames()) {
      throw new IllegalArgumentException(
          "vit-lite: clips have " + s.get(2) + " frames but time_embed is sized for num-frames = " + settings.numFrames()
              + "; set " + VitLiteSettings.PATH + ".num-frames to the clip length");
    }
    long b = s.get(0);
    TokenGrid grid = maskGrid(StreamKind.VIDEO, (int) s.get(2), (int) s.get(3), (int) s.get(4));
    NDArray x = patchEmbed.video(video).transpose(0, 2, 3, 4, 1).reshape(b, grid.size(), settings.embedDim());
    x = applyMask(x, mask, grid, b);
    x = x.reshape(b, grid.t(), grid.plane(), settings.embedDim())
        .add(posEmbed.array().reshape(1, 1, grid.plane(), settings.embedDim()))
        .add(timeEmbed.array().reshape(1, grid.t(), 1, settings.embedDim()))
        .reshape(b, grid.size(), settings.embedDim());
    return output(StreamKind.VIDEO, x, grid, training);
  }

  @Override
  public boolean supportsImages() {
    return true;
  }

  @Override
  public BackboneOutput forwardImage(NDArray images, NDArray mask, boolean training) {
    Shape s = images.getShape();
    requireInput(s, 4, "images (B, C, H, W)");
    long b = s.get(0);
    TokenGrid grid = maskGrid(StreamKind.IMAGE, 1, (int) s.get(2), (int) s.get(3));
    NDArray x = patchEmbed.image(images).transpose(0, 2, 3, 1).reshape(b, grid.size(), settings.embedDim());
    x = applyMask(x, mask, grid, b).add(posEmbed.array());
    return output(StreamKind.IMAGE, x, grid, training);
  }

  private BackboneOutput output(StreamKind stream, NDArray x, TokenGrid grid, boolean training) {
    for (Block blk : blocks) {
      x = blk.forward(x, training);
    }
    return new BackboneOutput(stream, List.of(FeatureMap.sequence(TOKENS, norm.forward(x), grid, 0)));
  }

  private void requireInput(Shape s, int rank, String what) {
    int last = rank - 1;
    if (s.dimension() != rank || s.get(1) != settings.inChans() || s.get(last) != settings.imgSize() || s.get(last - 1) != settings.imgSize()) {
      throw new IllegalArgumentException(
          "vit-lite expects " + what + " with C = " + settings.inChans() + " and H = W = img-size " + settings.imgSize()
              + " (the size pos_embed is built for), got " + s + "; set " + VitLiteSettings.PATH
              + ".img-size to the crop size (bevt.data.<stream>.crop-size)");
    }
  }

  /** Replaces masked tokens by the mask token: {@code x * (1 - m) + mask_token * m}. */
  private NDArray applyMask(NDArray x, NDArray mask, TokenGrid grid, long batch) {
    if (mask == null) {
      return x;
    }
    if (mask.getShape().size() != batch * grid.size()) {
      throw new IllegalArgumentException("vit-lite: mask " + mask.getShape() + " does not fit the token grid " + grid + " x batch " + batch);
    }
    NDArray m = mask.reshape(batch, grid.size(), 1).toType(DataType.FLOAT32, false);
    return x.mul(m.neg().add(1f)).add(maskToken.array().mul(m));
  }

  @Override
  public TokenGrid maskGrid(StreamKind stream, int frames, int height, int width) {
    int p = settings.patchSize();
    if (height % p != 0 || width % p != 0) {
      throw new IllegalArgumentException("vit-lite: input " + height + "x" + width + " is not a multiple of patch-size " + p);
    }
    if (stream == StreamKind.IMAGE) {
      return TokenGrid.image(height / p, width / p);
    }
    if (frames % settings.tubeletSize() != 0) {
      throw new IllegalArgumentException("vit-lite: " + frames + " frames are not a multiple of tubelet-size " + settings.tubeletSize());
    }
    return new TokenGrid(frames / settings.tubeletSize(), height / p, width / p);
  }

  @Override
  public String defaultDecoder(StreamKind stream) {
    return stream == StreamKind.VIDEO ? VIDEO_DECODER : IMAGE_DECODER;
  }

  @Override
  public int numFeatures() {
    return settings.embedDim();
  }
}
