package org.bevt4j.core.viz;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A picture of one tokenized image: the input on the left and its token map on the right, each
 * token cell filled with a colour that identifies its id (hues spaced by the golden ratio, so ids
 * that are close get clearly different colours; equal ids always get the same colour).
 *
 * <pre>{@code
 * TokenMapImage.render(rgb, 112, 112, ids, 14, 14, 8192).write(Path.of("tokens.png"));
 * }</pre>
 */
public final class TokenMapImage {
  /** Gap between the two panels, in output pixels. */
  public static final int GAP = 4;

  /** Panels smaller than this (in pixels) are enlarged by an integer factor. */
  public static final int MIN_PANEL = 224;

  private static final double GOLDEN = 0.6180339887498949;

  private final BufferedImage image;
  private final int scale;

  private TokenMapImage(BufferedImage image, int scale) {
    this.image = image;
    this.scale = scale;
  }

  /**
   * Renders with the default enlargement (panels at least {@link #MIN_PANEL} pixels high).
   *
   * @param rgb the image, channels-first {@code (3, height, width)}, values in [0, 1] (clamped)
   * @param ids token ids {@code (gridH, gridW)}, row-major
   * @param vocab the codebook size; every id must be in {@code [0, vocab)}
   */
  public static TokenMapImage render(float[] rgb, int height, int width, long[] ids, int gridH, int gridW, int vocab) {
    int scale = Math.max(1, (MIN_PANEL + Math.max(height, width) - 1) / Math.max(height, width));
    return render(rgb, height, width, ids, gridH, gridW, vocab, scale);
  }

  /**
   * Renders a square image and a square token grid, inferring the sizes from the array lengths
   * ({@code rgb.length = 3 H^2}, {@code ids.length = h^2}).
   */
  public static TokenMapImage render(float[] rgb, long[] ids, int vocab) {
    if (rgb.length % 3 != 0) {
      throw new IllegalArgumentException("rgb must hold 3 channels, found " + rgb.length + " values");
    }
    int side = squareSide(rgb.length / 3, "image");
    int grid = squareSide(ids.length, "token grid");
    return render(rgb, side, side, ids, grid, grid, vocab);
  }

  /** As {@link #render(float[], int, int, long[], int, int, int)} with an explicit enlargement. */
  public static TokenMapImage render(
      float[] rgb, int height, int width, long[] ids, int gridH, int gridW, int vocab, int scale) {
    if (height < 1 || width < 1 || rgb.length != 3L * height * width) {
      throw new IllegalArgumentException(
          "rgb must be (3, " + height + ", " + width + ") = " + 3L * height * width + " values, found " + rgb.length);
    }
    if (gridH < 1 || gridW < 1 || ids.length != (long) gridH * gridW) {
      throw new IllegalArgumentException(
          "ids must be (" + gridH + ", " + gridW + ") = " + (long) gridH * gridW + " values, found " + ids.length);
    }
    if (gridH > height || gridW > width) {
      throw new IllegalArgumentException(
          "token grid " + gridH + "x" + gridW + " is finer than the image " + height + "x" + width);
    }
    if (vocab < 1 || scale < 1) {
      throw new IllegalArgumentException("vocab and scale must be >= 1, found " + vocab + " and " + scale);
    }
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocab) {
        throw new IllegalArgumentException(
            "token id " + ids[i] + " at position " + i + " is outside [0, " + vocab + ")");
      }
    }
    int pw = width * scale;
    int ph = height * scale;
    BufferedImage img = new BufferedImage(2 * pw + GAP, ph, BufferedImage.TYPE_INT_RGB);
    int plane = height * width;
    for (int y = 0; y < ph; y++) {
      int sy = y / scale;
      int ty = (int) ((long) sy * gridH / height);
      for (int x = 0; x < pw; x++) {
        int sx = x / scale;
        int p = sy * width + sx;
        int rgbValue = (byteOf(rgb[p]) << 16) | (byteOf(rgb[plane + p]) << 8) | byteOf(rgb[2 * plane + p]);
        img.setRGB(x, y, rgbValue);
        int tx = (int) ((long) sx * gridW / width);
        img.setRGB(pw + GAP + x, y, colorOf(ids[ty * gridW + tx]).getRGB() & 0xFFFFFF);
      }
      for (int x = 0; x < GAP; x++) {
        img.setRGB(pw + x, y, 0xFFFFFF);
      }
    }
    return new TokenMapImage(img, scale);
  }

  /** The colour of a token id: golden-ratio hue, saturation and brightness varied in small cycles. */
  public static Color colorOf(long id) {
    double hue = (id * GOLDEN) % 1.0;
    float sat = (float) (0.55 + 0.45 * (Math.floorMod(id, 3) / 2.0));
    float bri = (float) (0.70 + 0.30 * Math.floorMod(id / 3, 2));
    return Color.getHSBColor((float) hue, sat, bri);
  }

  private static int byteOf(float v) {
    if (Float.isNaN(v)) {
      throw new IllegalArgumentException("rgb contains NaN");
    }
    float c = Math.max(0f, Math.min(1f, v));
    return Math.round(c * 255f);
  }

  private static int squareSide(int n, String what) {
    int s = (int) Math.round(Math.sqrt(n));
    if (s < 1 || s * s != n) {
      throw new IllegalArgumentException(what + " is not square (" + n + " positions); pass its sizes explicitly");
    }
    return s;
  }

  /** The rendered picture: input panel, a white gap of {@link #GAP} pixels, token-map panel. */
  public BufferedImage image() {
    return image;
  }

  /** The integer enlargement applied to both panels. */
  public int scale() {
    return scale;
  }

  /** Writes the picture as a PNG, creating parent directories. */
  public Path write(Path png) {
    try {
      Path parent = png.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!ImageIO.write(image, "png", png.toFile())) {
        throw new IOException("no PNG writer available");
      }
      return png;
    } catch (IOException e) {
      throw new UncheckedIOException(png + ": cannot write token map PNG", e);
    }
  }
}
