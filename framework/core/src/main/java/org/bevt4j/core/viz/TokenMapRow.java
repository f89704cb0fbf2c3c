package org.bevt4j.core.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * One frame tokenized by several tokenizers, side by side: the input, then one token map per
 * tokenizer (cells coloured by id as in {@link TokenMapImage#colorOf}), every panel scaled to the
 * same square size, with a title above each panel. Used by {@code compare-tokenizers}.
 */
public final class TokenMapRow {
  /** Gap between panels, in pixels. */
  public static final int GAP = 6;

  private static final int HEADER = 24;

  private TokenMapRow() {}

  /**
   * One tokenizer's map.
   *
   * @param title shown above the panel
   * @param ids token ids {@code (gridH, gridW)}, row-major, each in {@code [0, vocab)}
   */
  public record Panel(String title, long[] ids, int gridH, int gridW, int vocab) {
    public Panel {
      if (gridH < 1 || gridW < 1 || ids.length != (long) gridH * gridW) {
        throw new IllegalArgumentException(
            title + ": ids must be (" + gridH + ", " + gridW + ") = " + (long) gridH * gridW + " values, found " + ids.length);
      }
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] < 0 || ids[i] >= vocab) {
          throw new IllegalArgumentException(title + ": token id " + ids[i] + " at position " + i + " is outside [0, " + vocab + ")");
        }
      }
    }
  }

  /**
   * Renders the row.
   *
   * @param rgb the input, channels-first {@code (3, height, width)}, values in [0, 1] (clamped)
   * @param panelSize side of every panel in pixels
   */
  public static BufferedImage render(float[] rgb, int height, int width, List<Panel> panels, int panelSize) {
    if (height < 1 || width < 1 || rgb.length != 3L * height * width) {
      throw new IllegalArgumentException(
          "rgb must be (3, " + height + ", " + width + ") = " + 3L * height * width + " values, found " + rgb.length);
    }
    if (panelSize < 8) {
      throw new IllegalArgumentException("panel size must be >= 8, found " + panelSize);
    }
    System.setProperty("java.awt.headless", "true");
    int n = panels.size() + 1;
    int w = n * panelSize + (n - 1) * GAP;
    BufferedImage img = new BufferedImage(w, HEADER + panelSize, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      g.setColor(Color.BLACK);
      drawTitle(g, "input " + width + "x" + height, 0, panelSize);
      for (int k = 0; k < panels.size(); k++) {
        Panel p = panels.get(k);
        drawTitle(g, p.title() + " (" + p.gridH() + "x" + p.gridW() + ")", (k + 1) * (panelSize + GAP), panelSize);
      }
    } finally {
      g.dispose();
    }
    int plane = height * width;
    for (int y = 0; y < panelSize; y++) {
      int sy = (int) ((long) y * height / panelSize);
      for (int x = 0; x < panelSize; x++) {
        int sx = (int) ((long) x * width / panelSize);
        int p = sy * width + sx;
        img.setRGB(x, HEADER + y, (byteOf(rgb[p]) << 16) | (byteOf(rgb[plane + p]) << 8) | byteOf(rgb[2 * plane + p]));
      }
    }
    for (int k = 0; k < panels.size(); k++) {
      Panel p = panels.get(k);
      int x0 = (k + 1) * (panelSize + GAP);
      for (int y = 0; y < panelSize; y++) {
        int ty = (int) ((long) y * p.gridH() / panelSize);
        for (int x = 0; x < panelSize; x++) {
          int tx = (int) ((long) x * p.gridW() / panelSize);
          img.setRGB(x0 + x, HEADER + y, TokenMapImage.colorOf(p.ids()[ty * p.gridW() + tx]).getRGB() & 0xFFFFFF);
        }
      }
    }
    return img;
  }

  /** Renders and writes a PNG, creating parent directories. */
  public static Path write(Path png, float[] rgb, int height, int width, List<Panel> panels, int panelSize) {
    BufferedImage img = render(rgb, height, width, panels, panelSize);
    try {
      Path parent = png.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!ImageIO.write(img, "png", png.toFile())) {
        throw new IOException("no PNG writer available");
      }
      return png;
    } catch (IOException e) {
      throw new UncheckedIOException(png + ": cannot write token map PNG", e);
    }
  }

  private static void drawTitle(Graphics2D g, String text, int x0, int width) {
    FontMetrics fm = g.getFontMetrics();
    String s = text;
    while (s.length() > 4 && fm.stringWidth(s) > width) {
      s = s.substring(0, s.length() - 2);
    }
    if (!s.equals(text)) {
      s = s + "…";
    }
    g.drawString(s, x0 + Math.max(0, (width - fm.stringWidth(s)) / 2), HEADER - 7);
  }

  private static int byteOf(float v) {
    if (Float.isNaN(v)) {
      throw new IllegalArgumentException("rgb contains NaN");
    }
    return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
  }
}
