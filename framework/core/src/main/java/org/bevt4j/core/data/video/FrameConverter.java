package org.bevt4j.core.data.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.io.IOException;
import org.bevt4j.core.data.transform.RgbFrame;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts decoded {@link AVFrame}s to packed RGB24 with swscale at the source size (resizing is the
 * transforms' job), reusing the context and the native output buffer across frames.
 */
public final class FrameConverter implements AutoCloseable {
  private SwsContext sws;
  private BytePointer buffer;
  private PointerPointer<BytePointer> dstData;
  private IntPointer dstStride;
  private int capacity;
  private int lastW = -1;
  private int lastH = -1;
  private int lastFmt = -1;
  private int lastRange = -1;
  private int lastSpace = -1;

  public RgbFrame convert(AVFrame f, String source) throws IOException {
    int w = f.width();
    int h = f.height();
    int fmt = f.format();
    if (w <= 0 || h <= 0 || fmt < 0 || f.data(0) == null || f.data(0).isNull()) {
      throw new IOException(source + ": decoder produced an empty frame (" + w + "x" + h + ", format " + fmt + ")");
    }
    SwsContext next = sws_getCachedContext(sws, w, h, fmt, w, h, AV_PIX_FMT_RGB24, SWS_BILINEAR,
        null, null, (DoublePointer) null);
    if (next == null || next.isNull()) {
      throw new IOException(source + ": swscale cannot convert pixel format " + fmt + " to RGB24");
    }
    boolean changed = sws == null || next.address() != sws.address() || w != lastW || h != lastH || fmt != lastFmt
        || f.color_range() != lastRange || f.colorspace() != lastSpace;
    sws = next;
    if (changed) {
      Ffmpeg.setColorDetails(sws, fmt, f.color_range(), f.colorspace());
      lastW = w;
      lastH = h;
      lastFmt = fmt;
      lastRange = f.color_range();
      lastSpace = f.colorspace();
    }
    int size = 3 * w * h;
    if (capacity < size) {
      if (buffer != null) {
        buffer.close();
      }
      buffer = new BytePointer(size + 64L);
      capacity = size;
      if (dstData == null) {
        dstData = new PointerPointer<>(4);
        dstStride = new IntPointer(4);
      }
    }
    dstData.put(0, buffer);
    dstStride.put(0, 3 * w);
    int rows = sws_scale(sws, f.data(), f.linesize(), 0, h, dstData, dstStride);
    if (rows != h) {
      throw new IOException(source + ": swscale converted " + rows + " of " + h + " rows");
    }
    byte[] rgb = new byte[size];
    buffer.position(0).get(rgb, 0, size);
    return new RgbFrame(rgb, w, h);
  }

  @Override
  public void close() {
    if (sws != null) {
      sws_freeContext(sws);
      sws = null;
    }
    if (buffer != null) {
      buffer.close();
      buffer = null;
    }
    if (dstData != null) {
      dstData.close();
      dstStride.close();
      dstData = null;
      dstStride = null;
    }
  }
}
