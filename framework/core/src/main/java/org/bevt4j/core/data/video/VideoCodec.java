package org.bevt4j.core.data.video;

/** Encoders available in the LGPL FFmpeg build that {@link VideoWriter} can use. */
public enum VideoCodec {
  /** H.264 through Cisco's libopenh264 (baseline profile), in MP4. */
  H264("libopenh264", "mp4"),
  /** MPEG-4 part 2, in MP4. */
  MPEG4("mpeg4", "mp4"),
  /** VP9 through libvpx, in WebM. */
  VP9("libvpx-vp9", "webm");

  private final String encoder;
  private final String extension;

  VideoCodec(String encoder, String extension) {
    this.encoder = encoder;
    this.extension = extension;
  }

  /** FFmpeg encoder name. */
  public String encoder() {
    return encoder;
  }

  /** File extension of the container. */
  public String extension() {
    return extension;
  }

  /** Parses {@code h264}, {@code mpeg4} or {@code vp9}. */
  public static VideoCodec of(String name) {
    for (VideoCodec c : values()) {
      if (c.name().equalsIgnoreCase(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown codec \"" + name + "\"; known: [h264, mpeg4, vp9]");
  }
}
