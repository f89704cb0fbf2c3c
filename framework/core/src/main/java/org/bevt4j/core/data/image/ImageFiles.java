package org.bevt4j.core.data.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.bevt4j.core.data.transform.RgbFrame;

/** Conversions between {@link RgbFrame} and {@code java.awt} images, and JPEG/PNG writing. */
public final class ImageFiles {
  private ImageFiles() {}

  /** Packed RGB bytes of any {@link BufferedImage} (alpha dropped). */
  public static RgbFrame fromBufferedImage(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] out = new byte[3 * w * h];
    if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
      for (int i = 0; i < w * h; i++) {
        out[3 * i] = bgr[3 * i + 2];
        out[3 * i + 1] = bgr[3 * i + 1];
        out[3 * i + 2] = bgr[3 * i];
      }
    } else {
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        img.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          int p = row[x];
          int o = 3 * (y * w + x);
          out[o] = (byte) (p >> 16);
          out[o + 1] = (byte) (p >> 8);
          out[o + 2] = (byte) p;
        }
      }
    }
    return new RgbFrame(out, w, h);
  }

  /** A {@code TYPE_3BYTE_BGR} image with the frame's pixels. */
  public static BufferedImage toBufferedImage(RgbFrame f) {
    BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    byte[] rgb = f.data();
    for (int i = 0; i < f.width() * f.height(); i++) {
      bgr[3 * i] = rgb[3 * i + 2];
      bgr[3 * i + 1] = rgb[3 * i + 1];
      bgr[3 * i + 2] = rgb[3 * i];
    }
    return img;
  }

  /** Writes a baseline JPEG with the given quality in (0, 1]. */
  public static void writeJpeg(RgbFrame f, Path file, float quality) throws IOException {
    Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
    if (!it.hasNext()) {
      throw new IOException("no JPEG writer in this JVM");
    }
    ImageWriter writer = it.next();
    try (OutputStream os = Files.newOutputStream(file);
        ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
      writer.setOutput(ios);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality);
      writer.write(null, new IIOImage(toBufferedImage(f), null, null), p);
    } finally {
      writer.dispose();
    }
  }

  /** Writes a PNG (lossless). */
  public static void writePng(RgbFrame f, Path file) throws IOException {
    if (!ImageIO.write(toBufferedImage(f), "png", file.toFile())) {
      throw new IOException(file + ": no PNG writer in this JVM");
    }
  }
}
