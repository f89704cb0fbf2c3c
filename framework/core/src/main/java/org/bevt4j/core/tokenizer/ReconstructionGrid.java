package org.bevt4j.core.tokenizer;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * A PNG of inputs (top row) above their reconstructions through the tokenizer (bottom row), each
 * frame enlarged by an integer factor to at least {@link #MIN_CELL} pixels, separated by a
 * {@link #GAP}-pixel white border.
 */
public final class ReconstructionGrid {
  public static final int MIN_CELL = 96;
  public static final int GAP = 4;

  private ReconstructionGrid() {}

  /**
   * Renders {@code n} frames.
   *
   * @param inputs {@code (N, 3, S, S)} values in [0, 1] (clamped), row-major
   * @param recs the reconstructions, same layout
   */
  public static BufferedImage render(float[] inputs, float[] recs, int n, int size) {
    long per = 3L * size * size;
    if (n < 1 || size < 1 || inputs.length < n * per || recs.length < n * per) {
      throw new IllegalArgumentException("need " + n + " frames of 3x" + size + "x" + size + " in both arrays, found "
          + inputs.length + " and " + recs.length + " values");
    }
    int scale = Math.max(1, (MIN_CELL + size - 1) / size);
    int cell = size * scale;
    BufferedImage img = new BufferedImage(GAP + n * (cell + GAP), GAP + 2 * (cell + GAP), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.dispose();
    for (int i = 0; i < n; i++) {
      paint(img, inputs, i * per, size, scale, GAP + i * (cell + GAP), GAP);
      paint(img, recs, i * per, size, scale, GAP + i * (cell + GAP), 2 * GAP + cell);
    }
    return img;
  }

  private static void paint(BufferedImage img, float[] data, long off, int size, int scale, int x0, int y0) {
    int plane = size * size;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int p = y * size + x;
        int rgb = (byte8(data[(int) off + p]) << 16) | (byte8(data[(int) off + plane + p]) << 8) | byte8(data[(int) off + 2 * plane + p]);
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            img.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
          }
        }
      }
    }
  }

  private static int byte8(float v) {
    return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
  }

  /** Writes a PNG atomically (temp file + rename). */
  public static void write(BufferedImage img, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      if (!ImageIO.write(img, "png", tmp.toFile())) {
        throw new IOException("no PNG writer available");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
