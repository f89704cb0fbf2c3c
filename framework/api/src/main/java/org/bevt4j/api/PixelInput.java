package org.bevt4j.api;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/** Validation of tokenizer input, shared by tokenizer plugins: shape, dtype, divisibility and the [0, 1] value range. */
public final class PixelInput {
  private PixelInput() {}

  /**
   * Checks {@code pixels} and returns it as float32 on {@code device}.
   *
   * @param who the tokenizer, for messages
   * @param channels the expected channel count
   * @param divisor H and W must be positive multiples of this
   * @param checkRange whether values must lie in [0, 1]
   */
  public static NDArray check(String who, NDArray pixels, int channels, int divisor, Device device, boolean checkRange) {
    if (pixels == null) {
      throw new IllegalArgumentException(who + ": pixels must not be null");
    }
    Shape s = pixels.getShape();
    if (s.dimension() != 4 || s.get(1) != channels) {
      throw new IllegalArgumentException(
          who + ": expected pixels (N, " + channels + ", H, W), found shape " + s);
    }
    if (s.get(0) < 1) {
      throw new IllegalArgumentException(who + ": empty batch, found shape " + s);
    }
    long h = s.get(2);
    long w = s.get(3);
    if (h < divisor || w < divisor || h % divisor != 0 || w % divisor != 0) {
      throw new IllegalArgumentException(
          who + ": height and width must be positive multiples of " + divisor
              + " (the encoder downsamples by " + divisor + "), found " + h + "x" + w);
    }
    DataType dt = pixels.getDataType();
    if (!dt.isFloating()) {
      throw new IllegalArgumentException(
          who + ": expected float32 pixels in [0, 1], found dtype " + dt.toString().toLowerCase(Locale.ROOT)
              + " (divide 8-bit images by 255 first)");
    }
    NDArray x = pixels;
    if (!x.getDevice().equals(device)) {
      x = x.toDevice(device, false);
    }
    if (dt != DataType.FLOAT32) {
      x = x.toType(DataType.FLOAT32, false);
    }
    if (checkRange) {
      float min = x.min().getFloat();
      float max = x.max().getFloat();
      if (!(min >= 0f && max <= 1f)) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT, "%s: pixel values must be in [0, 1], found range [%s, %s]", who, min, max));
      }
    }
    return x;
  }
}
