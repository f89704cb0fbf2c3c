package org.bevt4j.core.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Renders a confusion matrix as a PNG a person can read: row-normalised cell colours (white to blue),
 * counts in each cell, class names on both axes, a title with the overall top-1.
 */
public final class ConfusionMatrixImage {
  private ConfusionMatrixImage() {}

  /** Writes the PNG (parent directories created). */
  public static void write(Path png, long[][] confusion, List<String> classNames, String title) throws IOException {
    System.setProperty("java.awt.headless", "true");
    int n = confusion.length;
    int cell = Math.max(28, Math.min(64, 640 / Math.max(1, n)));
    int left = 170;
    int top = 70;
    int bottom = 150;
    int width = left + n * cell + 40;
    int height = top + n * cell + bottom;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString(title, 10, 25);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString("rows: true class, columns: predicted class (colour = row fraction)", 10, 45);
      Font cellFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, cell / 3));
      for (int i = 0; i < n; i++) {
        long rowSum = 0;
        for (long v : confusion[i]) {
          rowSum += v;
        }
        for (int j = 0; j < n; j++) {
          double f = rowSum == 0 ? 0 : confusion[i][j] / (double) rowSum;
          int x = left + j * cell;
          int y = top + i * cell;
          g.setColor(blend(f));
          g.fillRect(x, y, cell, cell);
          g.setColor(new Color(200, 200, 200));
          g.drawRect(x, y, cell, cell);
          g.setColor(f > 0.55 ? Color.WHITE : Color.BLACK);
          g.setFont(cellFont);
          String s = Long.toString(confusion[i][j]);
          FontMetrics fm = g.getFontMetrics();
          g.drawString(s, x + (cell - fm.stringWidth(s)) / 2, y + (cell + fm.getAscent()) / 2 - 2);
        }
      }
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(1.5f));
      g.drawRect(left, top, n * cell, n * cell);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      FontMetrics fm = g.getFontMetrics();
      for (int i = 0; i < n; i++) {
        String name = label(classNames, i);
        g.drawString(name, left - 8 - fm.stringWidth(name), top + i * cell + (cell + fm.getAscent()) / 2 - 2);
        Graphics2D r = (Graphics2D) g.create();
        r.translate(left + i * cell + (cell + fm.getAscent()) / 2 - 2, top + n * cell + 8);
        r.rotate(Math.PI / 2);
        r.drawString(name, 0, 0);
        r.dispose();
      }
    } finally {
      g.dispose();
    }
    if (png.getParent() != null) {
      Files.createDirectories(png.getParent());
    }
    ImageIO.write(img, "png", png.toFile());
  }

  private static String label(List<String> names, int i) {
    String s = names != null && i < names.size() ? names.get(i) : "class " + i;
    return s.length() > 22 ? s.substring(0, 21) + "…" : s;
  }

  private static Color blend(double f) {
    int r = (int) Math.round(255 + f * (33 - 255));
    int gr = (int) Math.round(255 + f * (102 - 255));
    int b = (int) Math.round(255 + f * (172 - 255));
    return new Color(r, gr, b);
  }
}
