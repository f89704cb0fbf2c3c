package org.bevt4j.timesformer;

import java.util.Locale;

/**
 * What bevt4j adds to the upstream TimeSformer for BEVT pretraining. {@link #upstream()} gives a
 * model with exactly the upstream parameters (no mask token), {@link #defaults()} the BEVT-ready
 * one.
 *
 * @param tubeletSize frames per video token; 1 (upstream) patchifies each frame with a Conv2d
 *     ({@code patch_embed.proj.weight (C, 3, p, p)}), k > 1 uses a Conv3d with kernel = stride =
 *     (k, p, p) ({@code (C, 3, k, p, p)}) and a {@code time_embed} of {@code num_frames / k} rows
 * @param patchEmbed2d whether the image stream shares {@code patch_embed} ({@link
 *     PatchEmbed2d#SHARED}) or has its own {@code patch_embed_2d} ({@link PatchEmbed2d#SEPARATE})
 * @param imageTemporal how the image stream treats the temporal part of the model
 * @param maskToken whether the model has a learned {@code mask_token (1, 1, C)}
 * @param maskPatchSize side in input pixels of one mask / target cell (BEVT: 16, one DALL-E token
 *     at half resolution)
 * @param maskFrames frames per mask cell in time (BEVT: 2, the tube masker's temporal scale)
 * @param posEmbedInflation how {@code pos_embed} is resized when inflating image weights of another
 *     resolution
 */
public record BevtOptions(
    int tubeletSize,
    PatchEmbed2d patchEmbed2d,
    ImageTemporal imageTemporal,
    boolean maskToken,
    int maskPatchSize,
    int maskFrames,
    PosEmbedInflation posEmbedInflation) {

  /** Image-stream patch embedding. */
  public enum PatchEmbed2d {
    /** The image stream uses {@code patch_embed} (summed over time when tubelets are used). */
    SHARED,
    /** The image stream has its own Conv2d {@code patch_embed_2d.proj}. */
    SEPARATE;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How the image stream treats {@code time_embed} and the temporal attention. */
  public enum ImageTemporal {
    /**
     * Images run the model as the ViT it inflates from: no {@code time_embed}, temporal branch
     * skipped; spatial attention and MLP only (= upstream {@code space_only} on one frame, and =
     * upstream divided attention at T = 1 whenever {@code temporal_fc} is zero, as after ViT init).
     */
    SKIP,
    /**
     * Images run exactly the upstream forward at T = 1: {@code time_embed} nearest-resized to one
     * row (its row 0) and, for divided attention, temporal attention over a single frame (which is
     * not zero: it adds {@code temporal_fc(proj(v))}).
     */
    UPSTREAM;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How {@code pos_embed} is resized when inflating weights trained on another grid. */
  public enum PosEmbedInflation {
    /** 2-D legacy nearest over the P0 x P0 grid (as TimeSformer's forward does at inference). */
    GRID,
    /** 1-D legacy nearest over the flattened token sequence (TimeSformer's {@code load_pretrained}). */
    SEQUENCE;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public BevtOptions {
    if (tubeletSize < 1) {
      throw new ConfigProblem("tubelet_size", "must be >= 1, got " + tubeletSize);
    }
    if (maskPatchSize < 1) {
      throw new ConfigProblem("mask_patch_size", "must be >= 1, got " + maskPatchSize);
    }
    if (maskFrames < 1) {
      throw new ConfigProblem("mask_frames", "must be >= 1, got " + maskFrames);
    }
    if (patchEmbed2d == null || imageTemporal == null || posEmbedInflation == null) {
      throw new IllegalArgumentException("BEVT options must not be null");
    }
  }

  /** Exactly the upstream model: no mask token, shared patch embedding, no tubelets. */
  public static BevtOptions upstream() {
    return new BevtOptions(1, PatchEmbed2d.SHARED, ImageTemporal.SKIP, false, 16, 2, PosEmbedInflation.GRID);
  }

  /** BEVT-ready defaults: the upstream model plus a mask token, 16-pixel x 2-frame mask cells. */
  public static BevtOptions defaults() {
    return new BevtOptions(1, PatchEmbed2d.SHARED, ImageTemporal.SKIP, true, 16, 2, PosEmbedInflation.GRID);
  }

  public BevtOptions withMaskPatchSize(int size) {
    return new BevtOptions(tubeletSize, patchEmbed2d, imageTemporal, maskToken, size, maskFrames, posEmbedInflation);
  }
}
