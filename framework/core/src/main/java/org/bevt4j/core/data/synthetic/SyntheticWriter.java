package org.bevt4j.core.data.synthetic;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.core.data.image.ImageFiles;
import org.bevt4j.core.data.transform.RgbFrame;
import org.bevt4j.core.data.video.VideoCodec;
import org.bevt4j.core.data.video.VideoWriter;

/**
 * Writes synthetic samples to disk as real media, so the file decoders are exercised end to end:
 * videos (MP4 with H.264/libopenh264 or MPEG-4, WebM with VP9), JPEG images and raw-frame folders,
 * each in class folders ({@code 00-static/...}, sorted = label order) with an mmaction list file.
 */
public final class SyntheticWriter {
  private final SceneGenerator generator;
  private final int width;
  private final int height;

  /** What was written. */
  public record Written(Path root, Path listFile, List<Path> files, List<Integer> labels) {}

  public SyntheticWriter(SceneGenerator generator, int width, int height) {
    this.generator = generator;
    this.width = width;
    this.height = height;
  }

  private static String classDir(int label, String name) {
    return String.format("%02d-%s", label, name);
  }

  /**
   * Writes {@code count} videos of {@code frames} frames to {@code root/<class>/clip_NNNNN.<ext>}
   * and {@code root/videos.txt}.
   *
   * @param quality see {@link VideoWriter}: kb/s (H.264), qscale (MPEG-4) or crf (VP9)
   */
  public Written writeVideos(Path root, int count, int frames, VideoCodec codec, int fps, int gop, int quality)
      throws IOException {
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    Path list = root.resolve("videos.txt");
    Files.createDirectories(root);
    try (Writer lw = Files.newBufferedWriter(list, StandardCharsets.UTF_8)) {
      for (int i = 0; i < count; i++) {
        Motion m = Motion.values()[i % Motion.values().length];
        Scene s = generator.videoScene(i, m);
        String rel = classDir(m.ordinal(), m.label()) + "/" + String.format("clip_%05d.%s", i, codec.extension());
        Path file = root.resolve(rel);
        Files.createDirectories(file.getParent());
        RgbFrame bg = SceneGenerator.background(s, width, height);
        try (VideoWriter w = new VideoWriter(file, codec, width, height, fps, gop, quality)) {
          for (int t = 0; t < frames; t++) {
            w.write(SceneGenerator.render(s, bg, t));
          }
        }
        lw.write(rel + " " + m.ordinal() + "\n");
        files.add(file);
        labels.add(m.ordinal());
      }
    }
    return new Written(root, list, files, labels);
  }

  /** Writes {@code count} JPEG images to {@code root/<class>/img_NNNNN.jpg} and {@code root/images.txt}. */
  public Written writeImages(Path root, int count, float jpegQuality) throws IOException {
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    Path list = root.resolve("images.txt");
    Files.createDirectories(root);
    try (Writer lw = Files.newBufferedWriter(list, StandardCharsets.UTF_8)) {
      for (int i = 0; i < count; i++) {
        Shape sh = Shape.values()[i % Shape.values().length];
        Scene s = generator.imageScene(i, sh);
        String rel = classDir(sh.ordinal(), sh.label()) + "/" + String.format("img_%05d.jpg", i);
        Path file = root.resolve(rel);
        Files.createDirectories(file.getParent());
        ImageFiles.writeJpeg(SceneGenerator.render(s, SceneGenerator.background(s, width, height), 0), file, jpegQuality);
        lw.write(rel + " " + sh.ordinal() + "\n");
        files.add(file);
        labels.add(sh.ordinal());
      }
    }
    return new Written(root, list, files, labels);
  }

  /**
   * Writes {@code count} clips as frame folders {@code root/clip_NNNNN/img_00001.jpg ...} and
   * {@code root/rawframes.txt} ({@code <dir> <num_frames> <label>}).
   */
  public Written writeRawFrames(Path root, int count, int frames, float jpegQuality) throws IOException {
    List<Path> dirs = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    Path list = root.resolve("rawframes.txt");
    Files.createDirectories(root);
    try (Writer lw = Files.newBufferedWriter(list, StandardCharsets.UTF_8)) {
      for (int i = 0; i < count; i++) {
        Motion m = Motion.values()[i % Motion.values().length];
        Scene s = generator.videoScene(i, m);
        String rel = String.format("clip_%05d", i);
        Path dir = Files.createDirectories(root.resolve(rel));
        RgbFrame bg = SceneGenerator.background(s, width, height);
        for (int t = 0; t < frames; t++) {
          ImageFiles.writeJpeg(SceneGenerator.render(s, bg, t), dir.resolve(String.format("img_%05d.jpg", t + 1)), jpegQuality);
        }
        lw.write(rel + " " + frames + " " + m.ordinal() + "\n");
        dirs.add(dir);
        labels.add(m.ordinal());
      }
    }
    return new Written(root, list, dirs, labels);
  }
}
