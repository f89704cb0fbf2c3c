package org.bevt4j.core.data.video;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ440P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU709;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import java.nio.charset.StandardCharsets;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.IntPointer;

/**
 * Small helpers around the bytedeco FFmpeg presets: error strings, one-time library setup and
 * colour-range handling for swscale.
 */
public final class Ffmpeg {
  /** {@code AVERROR(EAGAIN)} on Linux. */
  public static final int EAGAIN = -11;

  private static volatile boolean initialised;

  private Ffmpeg() {}

  /**
   * Loads the natives and lowers FFmpeg's log level (corrupt inputs otherwise flood stderr; errors
   * are reported through exceptions instead). Override with {@code -Dbevt4j.ffmpeg.loglevel=N}.
   */
  public static void init() {
    if (!initialised) {
      synchronized (Ffmpeg.class) {
        if (!initialised) {
          int level = Integer.getInteger("bevt4j.ffmpeg.loglevel", AV_LOG_FATAL);
          av_log_set_level(level);
          initialised = true;
        }
      }
    }
  }

  /** FFmpeg's message for an error code, with the code. */
  public static String error(int code) {
    byte[] buf = new byte[256];
    av_strerror(code, buf, buf.length);
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, StandardCharsets.UTF_8) + " (" + code + ")";
  }

  static boolean isFullRangeFormat(int pixFmt) {
    return pixFmt == AV_PIX_FMT_YUVJ420P || pixFmt == AV_PIX_FMT_YUVJ422P
        || pixFmt == AV_PIX_FMT_YUVJ444P || pixFmt == AV_PIX_FMT_YUVJ440P;
  }

  /**
   * Tells swscale the source's range and matrix (BT.709 when tagged, else BT.601) so full-range
   * JPEG-style YUV is not stretched twice; RGB output is full range.
   */
  static void setColorDetails(SwsContext sws, int pixFmt, int colorRange, int colorSpace) {
    boolean full = colorRange == AVCOL_RANGE_JPEG || isFullRangeFormat(pixFmt);
    IntPointer coeffs = sws_getCoefficients(colorSpace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_ITU601);
    IntPointer rgb = sws_getCoefficients(SWS_CS_ITU601);
    // brightness 0, contrast 1.0 and saturation 1.0 in 16.16 fixed point
    sws_setColorspaceDetails(sws, coeffs, full ? 1 : 0, rgb, 1, 0, 1 << 16, 1 << 16);
  }
}
