package org.bevt4j.core.data.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_index_search_timestamp;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entry;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.bevt4j.core.data.transform.RgbFrame;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Frame-accurate random access to one video file through FFmpeg (bytedeco presets, no javacv).
 *
 * <p>Frames are numbered from 0 by presentation time: {@code round((best_effort_timestamp -
 * start_time) * time_base * fps)}. {@link #read} walks the requested indices in order; it seeks
 * ({@code av_seek_frame(..., AVSEEK_FLAG_BACKWARD)} + {@code avcodec_flush_buffers}) only when a
 * key frame lies between the decoder's position and the next target, then decodes forward and
 * converts to RGB only the requested frames. Every FFmpeg return code is checked; a failure becomes
 * an {@link IOException} naming the file. Not thread-safe: one reader per thread.
 */
public final class VideoReader implements AutoCloseable {
  private static final ConcurrentHashMap<String, Integer> FRAME_COUNTS = new ConcurrentHashMap<>();
  private static final int MAX_DECODE_ERRORS = 16;
  private static final int NO_INDEX_SEEK_GAP = 64;

  private final String path;
  private AVFormatContext fmt;
  private AVCodecContext ctx;
  private AVPacket pkt;
  private AVFrame frame;
  private final FrameConverter converter = new FrameConverter();
  private final int streamIndex;
  private final AVStream stream;
  private final double timeBase;
  private final double fps;
  private final long startPts;
  private final int frameCount;
  private boolean draining;
  private boolean eof;
  private int decodeErrors;
  private long nextIndex;

  private VideoReader(Path file) throws IOException {
    Ffmpeg.init();
    this.path = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new IOException(path + ": no such file");
    }
    try {
      fmt = new AVFormatContext(null);
      check(avformat_open_input(fmt, path, null, null), "cannot open");
      check(avformat_find_stream_info(fmt, (PointerPointer<?>) null), "cannot read stream info");
      streamIndex = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
      check(streamIndex, "no video stream");
      stream = fmt.streams(streamIndex);
      AVCodecParameters par = stream.codecpar();
      AVCodec codec = avcodec_find_decoder(par.codec_id());
      if (codec == null || codec.isNull()) {
        throw new IOException(path + ": no decoder for codec id " + par.codec_id());
      }
      ctx = avcodec_alloc_context3(codec);
      if (ctx == null || ctx.isNull()) {
        throw new IOException(path + ": cannot allocate a decoder context");
      }
      check(avcodec_parameters_to_context(ctx, par), "bad codec parameters");
      ctx.thread_count(1); // parallelism comes from the loader's workers
      check(avcodec_open2(ctx, codec, (AVDictionary) null), "cannot open decoder");
      pkt = av_packet_alloc();
      frame = av_frame_alloc();
      if (pkt == null || pkt.isNull() || frame == null || frame.isNull()) {
        throw new IOException(path + ": out of memory allocating packet/frame");
      }
      AVRational tb = stream.time_base();
      timeBase = tb.num() / (double) tb.den();
      fps = frameRate(stream);
      long st = stream.start_time();
      startPts = st == AV_NOPTS_VALUE ? 0 : st;
      if (ctx.width() <= 0 || ctx.height() <= 0) {
        throw new IOException(path + ": video stream has no size");
      }
      frameCount = countFrames(file);
      if (frameCount <= 0) {
        throw new IOException(path + ": video has no frames");
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Opens a video file; throws if it is missing, unreadable or has no decodable video stream. */
  public static VideoReader open(Path file) throws IOException {
    return new VideoReader(file);
  }

  private static double frameRate(AVStream s) {
    AVRational r = s.avg_frame_rate();
    if (r.num() > 0 && r.den() > 0) {
      return r.num() / (double) r.den();
    }
    r = s.r_frame_rate();
    if (r.num() > 0 && r.den() > 0) {
      return r.num() / (double) r.den();
    }
    return 25.0;
  }

  private int countFrames(Path file) throws IOException {
    long n = stream.nb_frames();
    if (n > 0) {
      return Math.toIntExact(n);
    }
    String key = path + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
    Integer cached = FRAME_COUNTS.get(key);
    if (cached != null) {
      return cached;
    }
    // no count in the container (WebM/Matroska): demux once, counting video packets
    int count = 0;
    int r;
    while ((r = av_read_frame(fmt, pkt)) >= 0) {
      if (pkt.stream_index() == streamIndex) {
        count++;
      }
      av_packet_unref(pkt);
    }
    if (r != AVERROR_EOF) {
      throw new IOException(path + ": read error while counting frames: " + Ffmpeg.error(r));
    }
    check(av_seek_frame(fmt, streamIndex, startPts, AVSEEK_FLAG_BACKWARD), "cannot rewind");
    avcodec_flush_buffers(ctx);
    if (FRAME_COUNTS.size() > 200_000) {
      FRAME_COUNTS.clear();
    }
    FRAME_COUNTS.put(key, count);
    return count;
  }

  /** Number of frames (container count, or video packets when the container has none). */
  public int frameCount() {
    return frameCount;
  }

  public int width() {
    return ctx.width();
  }

  public int height() {
    return ctx.height();
  }

  public double fps() {
    return fps;
  }

  /** The decoder's name, e.g. {@code h264}. */
  public String codecName() {
    return ctx.codec().name().getString();
  }

  /**
   * Decodes the frames at the given strictly increasing indices. Indices past the last decodable
   * frame (containers may over-count by a frame) get the last frame, unless more than a couple are
   * missing, which is reported as a truncated file.
   */
  public RgbFrame[] read(int[] indices) throws IOException {
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= frameCount || (i > 0 && indices[i] <= indices[i - 1])) {
        throw new IllegalArgumentException(path + ": indices must be increasing in [0, " + frameCount + "): "
            + Arrays.toString(indices));
      }
    }
    RgbFrame[] out = new RgbFrame[indices.length];
    int ti = 0;
    RgbFrame last = null;
    long lastIndex = -1;
    boolean retried = false;
    while (ti < indices.length) {
      int target = indices[ti];
      boolean seeked = false;
      if (target < nextIndex || shouldSeek(target)) {
        seek(target);
        seeked = true;
      }
      boolean served = false;
      while (!served) {
        if (!decodeNext()) {
          break;
        }
        long idx = frameIndex();
        if (seeked && idx > target && !retried) {
          // landed past the target (no key frame before it in the index): restart from the beginning
          retried = true;
          seekToStart();
          seeked = false;
          continue;
        }
        seeked = false;
        nextIndex = idx + 1;
        if (idx < target) {
          continue;
        }
        RgbFrame rgb = converter.convert(frame, path);
        last = rgb;
        lastIndex = idx;
        while (ti < indices.length && indices[ti] <= idx) {
          out[ti++] = rgb;
        }
        served = true;
      }
      if (!served) {
        int missing = indices.length - ti;
        if (last == null) {
          throw new IOException(path + ": no frame could be decoded at or after index " + target
              + " (" + decodeErrors + " decode errors)");
        }
        if (frameCount - 1 - lastIndex > Math.max(2, frameCount / 100)) {
          throw new IOException(path + ": truncated: the container lists " + frameCount
              + " frames but decoding stopped after frame " + lastIndex);
        }
        for (int i = 0; i < missing; i++) {
          out[ti++] = last;
        }
      }
    }
    return out;
  }

  private boolean shouldSeek(int target) {
    if (nextIndex <= 0 && target == 0) {
      return false;
    }
    long gap = target - nextIndex;
    if (gap <= 0) {
      return false;
    }
    long ts = tsOf(target);
    int entry = av_index_search_timestamp(stream, ts, AVSEEK_FLAG_BACKWARD);
    if (entry >= 0) {
      AVIndexEntry e = avformat_index_get_entry(stream, entry);
      if (e != null && !e.isNull()) {
        return indexOf(e.timestamp()) > nextIndex;
      }
    }
    return gap > NO_INDEX_SEEK_GAP;
  }

  private long tsOf(long index) {
    return startPts + Math.round(index / fps / timeBase);
  }

  private long indexOf(long ts) {
    return Math.round((ts - startPts) * timeBase * fps);
  }

  private long frameIndex() {
    long ts = frame.best_effort_timestamp();
    if (ts == AV_NOPTS_VALUE) {
      ts = frame.pts();
    }
    return ts == AV_NOPTS_VALUE ? nextIndex : indexOf(ts);
  }

  private void seek(int target) throws IOException {
    int r = av_seek_frame(fmt, streamIndex, tsOf(target), AVSEEK_FLAG_BACKWARD);
    if (r < 0) {
      seekToStart();
      return;
    }
    avcodec_flush_buffers(ctx);
    draining = false;
    eof = false;
    nextIndex = -1;
  }

  private void seekToStart() throws IOException {
    check(av_seek_frame(fmt, streamIndex, Long.MIN_VALUE + 1, AVSEEK_FLAG_BACKWARD), "cannot seek to the start");
    avcodec_flush_buffers(ctx);
    draining = false;
    eof = false;
    nextIndex = 0;
  }

  /** Next decoded frame into {@link #frame}; false at the end of the stream. */
  private boolean decodeNext() throws IOException {
    while (true) {
      if (eof) {
        return false;
      }
      int r = avcodec_receive_frame(ctx, frame);
      if (r >= 0) {
        return true;
      }
      if (r == AVERROR_EOF) {
        eof = true;
        return false;
      }
      if (r != Ffmpeg.EAGAIN) {
        decodeError(r);
        continue;
      }
      if (draining) {
        eof = true;
        return false;
      }
      r = av_read_frame(fmt, pkt);
      if (r == AVERROR_EOF) {
        draining = true;
        check(avcodec_send_packet(ctx, null), "cannot flush decoder");
        continue;
      }
      if (r < 0) {
        throw new IOException(path + ": read error: " + Ffmpeg.error(r));
      }
      try {
        if (pkt.stream_index() == streamIndex) {
          int s = avcodec_send_packet(ctx, pkt);
          if (s < 0 && s != Ffmpeg.EAGAIN) {
            decodeError(s);
          }
        }
      } finally {
        av_packet_unref(pkt);
      }
    }
  }

  private void decodeError(int code) throws IOException {
    if (++decodeErrors > MAX_DECODE_ERRORS) {
      throw new IOException(path + ": undecodable (" + decodeErrors + " decode errors, last: " + Ffmpeg.error(code) + ")");
    }
  }

  private void check(int code, String what) throws IOException {
    if (code < 0) {
      throw new IOException(path + ": " + what + ": " + Ffmpeg.error(code));
    }
  }

  @Override
  public void close() {
    converter.close();
    if (frame != null) {
      av_frame_free(frame);
      frame = null;
    }
    if (pkt != null) {
      av_packet_free(pkt);
      pkt = null;
    }
    if (ctx != null) {
      avcodec_free_context(ctx);
      ctx = null;
    }
    if (fmt != null) {
      if (!fmt.isNull()) {
        avformat_close_input(fmt);
      }
      fmt = null;
    }
  }
}
