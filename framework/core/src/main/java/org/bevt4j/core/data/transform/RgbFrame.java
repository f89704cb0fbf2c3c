package org.bevt4j.core.data.transform;

/**
 * One decoded picture: packed 8-bit RGB, rows of {@code 3 * width} bytes, top row first. This is
 * what decoders (FFmpeg, image files, the synthetic renderer) hand to the transforms.
 *
 * @param data {@code 3 * width * height} bytes, R G B per pixel
 * @param width width in pixels
 * @param height height in pixels
 */
public record RgbFrame(byte[] data, int width, int height) {
  public RgbFrame {
    if (width <= 0 || height <= 0 || data.length < 3 * width * height) {
      throw new IllegalArgumentException(
          "RgbFrame " + width + "x" + height + " needs " + 3L * width * height + " bytes, got " + data.length);
    }
  }

  /** A black frame. */
  public static RgbFrame blank(int width, int height) {
    return new RgbFrame(new byte[3 * width * height], width, height);
  }

  /** Channel {@code c} (0 = R) of pixel (x, y), 0..255. */
  public int get(int x, int y, int c) {
    return data[(y * width + x) * 3 + c] & 0xFF;
  }

  /** Mean of the ITU-R 601 luma (0.2989 R + 0.587 G + 0.114 B) over the whole frame, 0..255. */
  public double meanGray() {
    long r = 0;
    long g = 0;
    long b = 0;
    int n = width * height * 3;
    for (int i = 0; i < n; i += 3) {
      r += data[i] & 0xFF;
      g += data[i + 1] & 0xFF;
      b += data[i + 2] & 0xFF;
    }
    return (0.2989 * r + 0.587 * g + 0.114 * b) / ((double) width * height);
  }
}
