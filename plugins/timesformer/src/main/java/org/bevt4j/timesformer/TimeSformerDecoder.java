package org.bevt4j.timesformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Module;

/**
 * BEVT decoder for the (non-hierarchical) TimeSformer: maps the backbone's normalised patch tokens
 * to one feature per target token, in (t, h, w) order, width {@code embed_dim}.
 *
 * <p>Design. Let the token grid be {@code (t', h', w')}, {@code ft} the frames per token (the
 * tubelet, 1 for images), {@code s = m / patch} (targets coarser than patches) and {@code r = patch
 * / m} (patches coarser than targets), at most one of s, r above 1 ({@link MaskGeometry}).
 *
 * <ul>
 *   <li><b>Identity</b> ({@code ft = s = r = 1}; BEVT's patch 16, tubelet 1): the output is the
 *       backbone's patch tokens, already through the shared final {@code norm} (as BEiT feeds its
 *       {@code lm_head}); the decoder has no parameters.
 *   <li><b>Otherwise</b>: group {@code s x s} neighbouring tokens (channel concat, order (i, j, C)),
 *       a {@code Linear(s*s*C -> ft*r*r*C)} that predicts {@code ft x r x r} sub-tokens per group,
 *       a pixel-shuffle reshape onto the target grid (sub-token order (frame, row, col)), then the
 *       decoder's own {@code LayerNorm(C)} (eps as the backbone's), so the output is normalised.
 *       Keys: image {@code lm_up.*}, {@code lm_up_norm.*}; video {@code lm_up_st.*},
 *       {@code lm_up_st_norm.*} (distinct from every backbone key).
 * </ul>
 */
public final class TimeSformerDecoder extends Module implements Decoder {
  /** Config type of the image decoder. */
  public static final String IMAGE_TYPE = "timesformer-image";
  /** Config type of the video decoder. */
  public static final String VIDEO_TYPE = "timesformer-video";

  private final StreamKind stream;
  private final MaskGeometry geometry;
  private final int dim;
  private final int merge;
  private final int split;
  private final int frames;
  private final Linear up;
  private final LayerNorm upNorm;

  public TimeSformerDecoder(StreamKind stream, TimeSformerConfig c) {
    this.stream = stream;
    this.geometry = MaskGeometry.of(c);
    this.dim = c.embedDim();
    this.merge = geometry.spatialMerge();
    this.split = geometry.spatialSplit();
    this.frames = geometry.temporalSplit(stream);
    String name = stream == StreamKind.IMAGE ? "lm_up" : "lm_up_st";
    if (isIdentity()) {
      this.up = null;
      this.upNorm = null;
    } else {
      long in = (long) merge * merge * dim;
      long out = (long) frames * split * split * dim;
      this.up = child(name, new Linear(in, out, true, Init.truncNormal(0.02), Init.zeros()));
      this.upNorm = child(name + "_norm", new LayerNorm(dim, c.layerNormEps()));
    }
  }

  /** Builds a decoder for {@code backbone}'s geometry, with its parameters initialised. */
  public static TimeSformerDecoder create(StreamKind stream, VisionTransformer backbone, ai.djl.ndarray.NDManager m) {
    TimeSformerDecoder d = new TimeSformerDecoder(stream, backbone.config());
    d.initialize(m);
    return d;
  }

  /** True when tokens map one-to-one onto targets (no parameters). */
  public boolean isIdentity() {
    return merge == 1 && split == 1 && frames == 1;
  }

  public StreamKind stream() {
    return stream;
  }

  @Override
  public NDArray decode(BackboneOutput output, boolean training) {
    if (output.stream() != stream) {
      throw new IllegalArgumentException(
          "the " + stream.configName() + " decoder got a " + output.stream().configName() + " backbone output");
    }
    FeatureMap fm = output.get(VisionTransformer.TOKENS);
    NDArray seq = fm.features();
    TokenGrid g = fm.grid();
    Shape s = seq.getShape();
    long b = s.get(0);
    if (s.get(2) != dim || s.get(1) != g.size() + fm.prefixTokens()) {
      throw new IllegalArgumentException(
          "expected tokens (B, " + (g.size() + fm.prefixTokens()) + ", " + dim + ") for grid " + g + ", got " + s);
    }
    NDArray x = seq.get(":, " + fm.prefixTokens() + ":, :"); // (B, t*h*w, C) in (t, h, w) order
    if (isIdentity()) {
      return x;
    }
    if (g.h() % merge != 0 || g.w() % merge != 0) {
      throw new IllegalArgumentException("token grid " + g + " is not divisible by the merge factor " + merge);
    }
    long h2 = g.h() / merge;
    long w2 = g.w() / merge;
    x = x.reshape(b, g.t(), h2, merge, w2, merge, dim)
        .transpose(0, 1, 2, 4, 3, 5, 6)
        .reshape(b, g.t(), h2, w2, (long) merge * merge * dim);
    x = up.forward(x); // (B, t, h2, w2, ft*r*r*C)
    x = x.reshape(b, g.t(), h2, w2, frames, split, split, dim)
        .transpose(0, 1, 4, 2, 5, 3, 6, 7)
        .reshape(b, (long) g.t() * frames * h2 * split * w2 * split, dim);
    return upNorm.forward(x);
  }

  @Override
  public int featureDim() {
    return dim;
  }

  @Override
  public TokenGrid targetGrid(TokenGrid maskGrid) {
    return geometry.targetGrid(stream, maskGrid);
  }
}
