package org.bevt4j.timesformer;

import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;

/**
 * How masks, tokens and prediction targets line up for a TimeSformer in BEVT.
 *
 * <ul>
 *   <li><b>Token grid</b>: {@code (T / tubelet, H / patch, W / patch)} for clips, {@code (1, H /
 *       patch, W / patch)} for images.
 *   <li><b>Target grid</b> (the tokenizer's): one target per frame and per {@code maskPatchSize}
 *       pixels, i.e. {@code (T, H / m, W / m)}; BEVT: 16 x 14 x 14 for a 16 x 224 x 224 clip with
 *       DALL-E at 112 px, 14 x 14 per 224 image.
 *   <li><b>Mask grid</b> ({@link #maskGrid}): one cell per {@code cellFrames = max(tubelet,
 *       maskFrames)} frames and {@code cellPixels = max(patch, m)} pixels, so that a mask cell never
 *       splits a token. BEVT default (patch 16, tubelet 1, m 16, maskFrames 2): 8 x 14 x 14 per 16 x
 *       224 clip (BEVT's tube-mask grid), 14 x 14 per image.
 * </ul>
 *
 * The backbone nearest-resizes a mask to its token grid (legacy nearest, integer factors here); the
 * trainer nearest-upsamples it to {@link #targetGrid} to select the loss positions.
 */
public record MaskGeometry(int patchSize, int tubeletSize, int maskPatchSize, int maskFrames) {

  public static MaskGeometry of(TimeSformerConfig c) {
    return new MaskGeometry(c.patchSize(), c.bevt().tubeletSize(), c.bevt().maskPatchSize(), c.bevt().maskFrames());
  }

  /** Pixels per mask cell side: {@code max(patch, maskPatchSize)}. */
  public int cellPixels() {
    return Math.max(patchSize, maskPatchSize);
  }

  /** Frames per mask cell: {@code max(tubelet, maskFrames)}. */
  public int cellFrames() {
    return Math.max(tubeletSize, maskFrames);
  }

  /** Tokens merged per side by a decoder when targets are coarser than patches ({@code m / patch}). */
  public int spatialMerge() {
    return maskPatchSize > patchSize ? maskPatchSize / patchSize : 1;
  }

  /** Sub-tokens per side a decoder splits a token into when patches are coarser ({@code patch / m}). */
  public int spatialSplit() {
    return patchSize > maskPatchSize ? patchSize / maskPatchSize : 1;
  }

  /** Frames a decoder splits one token into: the tubelet for clips, 1 for images. */
  public int temporalSplit(StreamKind stream) {
    return stream == StreamKind.VIDEO ? tubeletSize : 1;
  }

  /** The mask grid for an input of {@code frames x height x width} (frames = 1 for images). */
  public TokenGrid maskGrid(StreamKind stream, int frames, int height, int width) {
    int px = cellPixels();
    if (height % px != 0 || width % px != 0) {
      throw new IllegalArgumentException(
          "input " + height + "x" + width + " is not a multiple of the mask cell of " + px + " pixels (max of "
              + "patch-size " + patchSize + " and mask-patch-size " + maskPatchSize + ")");
    }
    if (stream == StreamKind.IMAGE) {
      return TokenGrid.image(height / px, width / px);
    }
    int f = cellFrames();
    if (frames % f != 0) {
      throw new IllegalArgumentException(
          "clip length " + frames + " is not a multiple of the mask cell of " + f + " frames (max of tubelet-size "
              + tubeletSize + " and mask-frames " + maskFrames + ")");
    }
    return new TokenGrid(frames / f, height / px, width / px);
  }

  /** The per-frame target grid decoded for a mask grid. */
  public TokenGrid targetGrid(StreamKind stream, TokenGrid mask) {
    int up = cellPixels() / maskPatchSize;
    int t = stream == StreamKind.VIDEO ? mask.t() * cellFrames() : 1;
    if (stream == StreamKind.IMAGE && mask.t() != 1) {
      throw new IllegalArgumentException("an image mask grid has t = 1, got " + mask);
    }
    return new TokenGrid(t, mask.h() * up, mask.w() * up);
  }
}
