package org.bevt4j.core.data.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.io.IOException;
import java.nio.file.Path;
import org.bevt4j.core.data.transform.RgbFrame;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Encodes RGB frames into an MP4 (H.264 via libopenh264, or MPEG-4) or WebM (VP9) file, constant
 * frame rate, with every packet's duration set (the MP4 muxer's edit list otherwise drops the last
 * frame). Used to produce real test and benchmark videos from synthetic content.
 */
public final class VideoWriter implements AutoCloseable {
  private final String path;
  private final int width;
  private final int height;
  private AVFormatContext oc;
  private AVCodecContext enc;
  private AVStream stream;
  private AVFrame yuv;
  private AVPacket pkt;
  private SwsContext sws;
  private BytePointer rgbBuf;
  private long pts;
  private boolean headerWritten;
  private boolean finished;

  /**
   * @param quality codec quality knob: H.264 bit rate in kb/s, MPEG-4 qscale (2..31), VP9 crf (0..63)
   * @param gop key-frame interval in frames
   */
  public VideoWriter(Path file, VideoCodec codec, int width, int height, int fps, int gop, int quality) throws IOException {
    Ffmpeg.init();
    this.path = file.toString();
    this.width = width;
    this.height = height;
    if (width % 2 != 0 || height % 2 != 0 || width < 16 || height < 16) {
      throw new IllegalArgumentException("video size must be even and >= 16, got " + width + "x" + height);
    }
    try {
      open(codec, fps, gop, quality);
    } catch (IOException | RuntimeException e) {
      release();
      throw e;
    }
  }

  private void open(VideoCodec codec, int fps, int gop, int quality) throws IOException {
    oc = new AVFormatContext(null);
    check(avformat_alloc_output_context2(oc, (AVOutputFormat) null, (String) null, path), "cannot create muxer");
    AVCodec c = avcodec_find_encoder_by_name(codec.encoder());
    if (c == null || c.isNull()) {
      throw new IOException(path + ": encoder " + codec.encoder() + " is not in this FFmpeg build");
    }
    stream = avformat_new_stream(oc, null);
    if (stream == null || stream.isNull()) {
      throw new IOException(path + ": cannot add a stream");
    }
    enc = avcodec_alloc_context3(c);
    enc.width(width);
    enc.height(height);
    enc.pix_fmt(AV_PIX_FMT_YUV420P);
    enc.time_base(av_make_q(1, fps));
    enc.framerate(av_make_q(fps, 1));
    enc.gop_size(gop);
    enc.max_b_frames(0);
    enc.thread_count(1);
    AVDictionary opts = new AVDictionary(null);
    try {
      switch (codec) {
        case H264 -> {
          enc.bit_rate(quality * 1000L);
          av_dict_set(opts, "allow_skip_frames", "0", 0);
        }
        case MPEG4 -> {
          enc.flags(enc.flags() | AV_CODEC_FLAG_QSCALE);
          enc.global_quality(FF_QP2LAMBDA * quality);
        }
        case VP9 -> {
          enc.bit_rate(0);
          av_dict_set(opts, "crf", Integer.toString(quality), 0);
          av_dict_set(opts, "deadline", "realtime", 0);
          av_dict_set(opts, "cpu-used", "8", 0);
        }
      }
      if ((oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
        enc.flags(enc.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
      }
      check(avcodec_open2(enc, c, opts), "cannot open encoder " + codec.encoder());
    } finally {
      av_dict_free(opts);
    }
    check(avcodec_parameters_from_context(stream.codecpar(), enc), "cannot copy codec parameters");
    stream.time_base(enc.time_base());
    if ((oc.oformat().flags() & AVFMT_NOFILE) == 0) {
      AVIOContext pb = new AVIOContext(null);
      check(avio_open(pb, path, AVIO_FLAG_WRITE), "cannot open for writing");
      oc.pb(pb);
    }
    check(avformat_write_header(oc, (AVDictionary) null), "cannot write header");
    headerWritten = true;
    yuv = av_frame_alloc();
    yuv.format(AV_PIX_FMT_YUV420P);
    yuv.width(width);
    yuv.height(height);
    check(av_frame_get_buffer(yuv, 0), "cannot allocate a frame");
    pkt = av_packet_alloc();
    sws = sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, AV_PIX_FMT_YUV420P, SWS_BICUBIC,
        null, null, (DoublePointer) null);
    if (sws == null || sws.isNull()) {
      throw new IOException(path + ": cannot create the RGB to YUV converter");
    }
    rgbBuf = new BytePointer(3L * width * height + 64);
  }

  /** Encodes one frame (must match the writer's size). */
  public void write(RgbFrame f) throws IOException {
    if (finished) {
      throw new IllegalStateException(path + ": writer already closed");
    }
    if (f.width() != width || f.height() != height) {
      throw new IllegalArgumentException("frame " + f.width() + "x" + f.height() + " != video " + width + "x" + height);
    }
    check(av_frame_make_writable(yuv), "frame not writable");
    rgbBuf.position(0).put(f.data(), 0, 3 * width * height);
    try (PointerPointer<BytePointer> src = new PointerPointer<>(rgbBuf, null, null, null);
        IntPointer stride = new IntPointer(3 * width, 0, 0, 0)) {
      sws_scale(sws, src, stride, 0, height, yuv.data(), yuv.linesize());
    }
    yuv.pts(pts++);
    check(avcodec_send_frame(enc, yuv), "encoder rejected frame " + (pts - 1));
    drain();
  }

  private void drain() throws IOException {
    while (true) {
      int r = avcodec_receive_packet(enc, pkt);
      if (r == Ffmpeg.EAGAIN || r == AVERROR_EOF) {
        return;
      }
      check(r, "encoding failed");
      pkt.duration(1); // one frame in the codec time base; without it mp4 loses the last frame
      av_packet_rescale_ts(pkt, enc.time_base(), stream.time_base());
      pkt.stream_index(stream.index());
      int w = av_interleaved_write_frame(oc, pkt);
      av_packet_unref(pkt);
      check(w, "cannot write packet");
    }
  }

  /** Number of frames written so far. */
  public long frames() {
    return pts;
  }

  /** Flushes the encoder and writes the trailer. */
  @Override
  public void close() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    try {
      if (enc != null && headerWritten) {
        check(avcodec_send_frame(enc, null), "cannot flush encoder");
        drain();
        check(av_write_trailer(oc), "cannot write trailer");
      }
    } finally {
      release();
    }
  }

  private void release() {
    if (sws != null) {
      sws_freeContext(sws);
      sws = null;
    }
    if (rgbBuf != null) {
      rgbBuf.close();
      rgbBuf = null;
    }
    if (yuv != null) {
      av_frame_free(yuv);
      yuv = null;
    }
    if (pkt != null) {
      av_packet_free(pkt);
      pkt = null;
    }
    if (enc != null) {
      avcodec_free_context(enc);
      enc = null;
    }
    if (oc != null && !oc.isNull()) {
      if (oc.pb() != null && !oc.pb().isNull() && (oc.oformat().flags() & AVFMT_NOFILE) == 0) {
        avio_closep(oc.pb());
      }
      avformat_free_context(oc);
    }
    oc = null;
  }

  private void check(int code, String what) throws IOException {
    if (code < 0) {
      throw new IOException(path + ": " + what + ": " + Ffmpeg.error(code));
    }
  }
}
