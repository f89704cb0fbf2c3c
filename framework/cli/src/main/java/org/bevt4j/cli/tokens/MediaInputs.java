package org.bevt4j.cli.tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.bevt4j.cli.UsageException;
import org.bevt4j.core.data.image.ImageDecoder;
import org.bevt4j.core.data.transform.RgbFrame;
import org.bevt4j.core.data.video.VideoReader;

/**
 * The pictures named on the command line: one image, one video, or a folder of them (searched
 * recursively, in sorted order, by extension). Images decode with the data package's
 * {@link ImageDecoder}, videos with its FFmpeg {@link VideoReader}, sampling frames uniformly.
 * Missing or undecodable inputs are {@link UsageException}s naming the file.
 */
public final class MediaInputs {
  /** Image file extensions (lower case). */
  public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp", "gif");

  /** Video file extensions (lower case). */
  public static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "webm", "mkv", "avi", "mov", "m4v", "mpg", "mpeg", "ogv");

  /** Frames taken from one video when no count is given. */
  public static final int DEFAULT_MAX_FRAMES = 64;

  private MediaInputs() {}

  /** One input file; {@code name} is its path relative to the input folder (or its file name). */
  public record Item(Path path, String name, Kind kind) {}

  /** What a file holds (UNKNOWN: decided by trying to decode it). */
  public enum Kind {
    IMAGE,
    VIDEO,
    UNKNOWN
  }

  /**
   * One decoded picture.
   *
   * @param name unique key: the item name, plus {@code /frame_NNNNNN} for a video frame
   * @param source the file
   * @param frameIndex index of the frame in the video, -1 for an image
   */
  public record Frame(String name, Path source, int frameIndex, RgbFrame rgb) {}

  /** The files of {@code input} (a file or a folder). */
  public static List<Item> list(Path input) {
    if (!Files.exists(input)) {
      throw new UsageException(input + ": no such file or folder");
    }
    if (!Files.isDirectory(input)) {
      if (!Files.isReadable(input)) {
        throw new UsageException(input + ": not readable");
      }
      return List.of(new Item(input, input.getFileName().toString(), kindOf(input)));
    }
    List<Item> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(input)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        Kind k = kindOf(p);
        if (k != Kind.UNKNOWN) {
          out.add(new Item(p, input.relativize(p).toString().replace('\\', '/'), k));
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new UsageException(input + ": cannot list the folder: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new UsageException(input + ": the folder holds no images or videos (extensions "
          + new java.util.TreeSet<>(IMAGE_EXTENSIONS) + " and " + new java.util.TreeSet<>(VIDEO_EXTENSIONS) + ")");
    }
    return out;
  }

  static Kind kindOf(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    String ext = dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    return IMAGE_EXTENSIONS.contains(ext) ? Kind.IMAGE : VIDEO_EXTENSIONS.contains(ext) ? Kind.VIDEO : Kind.UNKNOWN;
  }

  /**
   * Decodes an item: the image, or {@code maxFrames} frames of a video sampled uniformly (all
   * frames when it has fewer). A file of unknown kind is tried as an image, then as a video.
   */
  public static List<Frame> decode(Item item, int maxFrames) {
    try {
      return switch (item.kind()) {
        case IMAGE -> List.of(new Frame(item.name(), item.path(), -1, ImageDecoder.decode(item.path())));
        case VIDEO -> videoFrames(item, maxFrames);
        case UNKNOWN -> guess(item, maxFrames);
      };
    } catch (IOException e) {
      throw new UsageException(withPath(item.path(), e.getMessage()), e);
    }
  }

  private static List<Frame> guess(Item item, int maxFrames) throws IOException {
    try {
      return List.of(new Frame(item.name(), item.path(), -1, ImageDecoder.decode(item.path())));
    } catch (IOException asImage) {
      try {
        return videoFrames(item, maxFrames);
      } catch (IOException asVideo) {
        throw new IOException(item.path() + ": not a readable image or video (as an image: " + strip(item.path(), asImage.getMessage())
            + "; as a video: " + strip(item.path(), asVideo.getMessage()) + ")", asVideo);
      }
    }
  }

  private static List<Frame> videoFrames(Item item, int maxFrames) throws IOException {
    try (VideoReader r = VideoReader.open(item.path())) {
      int[] idx = uniform(r.frameCount(), maxFrames);
      RgbFrame[] frames = r.read(idx);
      List<Frame> out = new ArrayList<>(frames.length);
      for (int i = 0; i < frames.length; i++) {
        out.add(new Frame(String.format(Locale.ROOT, "%s/frame_%06d", item.name(), idx[i]), item.path(), idx[i], frames[i]));
      }
      return out;
    }
  }

  /** {@code min(count, n)} strictly increasing indices spread uniformly over {@code [0, count)} (segment centres). */
  static int[] uniform(int count, int n) {
    int k = Math.min(count, Math.max(1, n));
    int[] idx = new int[k];
    for (int i = 0; i < k; i++) {
      idx[i] = (int) Math.floor((i + 0.5) * count / k);
    }
    return idx;
  }

  /** A file-system-safe file name for a frame key. */
  public static String fileName(String key, String extension) {
    return key.replaceAll("[^A-Za-z0-9._-]", "_") + "." + extension;
  }

  private static String withPath(Path p, String message) {
    String m = message == null ? "cannot read" : message;
    return m.contains(p.toString()) ? m : p + ": " + m;
  }

  private static String strip(Path p, String message) {
    String m = message == null ? "?" : message;
    String prefix = p + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }
}
