package org.bevt4j.core.data.image;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_BMP;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_WEBP;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.bevt4j.core.data.transform.RgbFrame;
import org.bevt4j.core.data.video.Ffmpeg;
import org.bevt4j.core.data.video.FrameConverter;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Decodes still images to {@link RgbFrame}: JPEG, PNG, BMP and WebP with FFmpeg's codecs straight
 * from the file bytes (no demuxer probing), anything else with {@code javax.imageio}.
 */
public final class ImageDecoder {
  private ImageDecoder() {}

  /** Decodes an image file; IOException (naming the file) when missing or undecodable. */
  public static RgbFrame decode(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    }
    return decode(bytes, file.toString());
  }

  /** Decodes an encoded image held in memory; {@code source} names it in errors. */
  public static RgbFrame decode(byte[] bytes, String source) throws IOException {
    if (bytes.length == 0) {
      throw new IOException(source + ": empty file");
    }
    int codec = sniff(bytes);
    if (codec >= 0) {
      return decodeFfmpeg(bytes, codec, source);
    }
    return decodeImageIo(bytes, source);
  }

  static int sniff(byte[] b) {
    if (b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
      return AV_CODEC_ID_MJPEG;
    }
    if (b.length > 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return AV_CODEC_ID_PNG;
    }
    if (b.length > 2 && b[0] == 'B' && b[1] == 'M') {
      return AV_CODEC_ID_BMP;
    }
    if (b.length > 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
        && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return AV_CODEC_ID_WEBP;
    }
    return -1;
  }

  private static RgbFrame decodeFfmpeg(byte[] bytes, int codecId, String source) throws IOException {
    Ffmpeg.init();
    AVCodec codec = avcodec_find_decoder(codecId);
    if (codec == null || codec.isNull()) {
      return decodeImageIo(bytes, source);
    }
    AVCodecContext ctx = avcodec_alloc_context3(codec);
    AVPacket pkt = av_packet_alloc();
    AVFrame frame = av_frame_alloc();
    try (FrameConverter conv = new FrameConverter()) {
      if (ctx == null || ctx.isNull() || pkt == null || pkt.isNull() || frame == null || frame.isNull()) {
        throw new IOException(source + ": out of memory");
      }
      ctx.thread_count(1);
      check(avcodec_open2(ctx, codec, (AVDictionary) null), source, "cannot open decoder");
      check(av_new_packet(pkt, bytes.length), source, "cannot allocate packet");
      pkt.data().position(0).put(bytes, 0, bytes.length);
      check(avcodec_send_packet(ctx, pkt), source, "undecodable image");
      check(avcodec_send_packet(ctx, null), source, "cannot flush decoder");
      check(avcodec_receive_frame(ctx, frame), source, "undecodable image");
      return conv.convert(frame, source);
    } finally {
      if (frame != null) {
        av_frame_free(frame);
      }
      if (pkt != null) {
        av_packet_free(pkt);
      }
      if (ctx != null) {
        avcodec_free_context(ctx);
      }
    }
  }

  private static void check(int code, String source, String what) throws IOException {
    if (code < 0) {
      throw new IOException(source + ": " + what + ": " + Ffmpeg.error(code));
    }
  }

  private static RgbFrame decodeImageIo(byte[] bytes, String source) throws IOException {
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new IOException(source + ": undecodable image: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new IOException(source + ": not a readable image format");
    }
    return ImageFiles.fromBufferedImage(img);
  }
}
