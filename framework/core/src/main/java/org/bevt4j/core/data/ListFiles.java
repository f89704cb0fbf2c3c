package org.bevt4j.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Readers for mmaction-style list files and class-per-folder trees. */
public final class ListFiles {
  private static final java.util.regex.Pattern PLAIN = java.util.regex.Pattern.compile("(.*\\S)\\s+(\\S+)");
  private static final java.util.regex.Pattern WITH_FRAMES =
      java.util.regex.Pattern.compile("(.*\\S)\\s+(\\S+)\\s+(\\S+)");

  private ListFiles() {}

  /**
   * Reads {@code <path> <label>} lines ({@code withFrames}: {@code <dir> <num_frames> <label>}).
   * Relative paths are resolved against {@code prefix} (default: the list file's folder). Blank lines
   * and {@code #} comments are skipped; a path may contain spaces (the label is the last field).
   *
   * @throws DataFormatException naming the file and the line number of a malformed line
   */
  public static List<MediaEntry> read(Path list, Path prefix, boolean withFrames) {
    if (!Files.isRegularFile(list)) {
      throw new DataFormatException(list + ": list file not found");
    }
    Path base = prefix != null ? prefix : list.toAbsolutePath().getParent();
    List<MediaEntry> out = new ArrayList<>();
    String expected = withFrames ? "\"<dir> <num_frames> <label>\"" : "\"<path> <label>\"";
    try (BufferedReader r = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        java.util.regex.Matcher m = (withFrames ? WITH_FRAMES : PLAIN).matcher(t);
        if (!m.matches()) {
          throw new DataFormatException(list + ": line " + n + ": expected " + expected + ", found \"" + t + "\"");
        }
        // the path is everything before the numeric fields (it may contain spaces)
        String path = m.group(1);
        int label = parseInt(m.group(withFrames ? 3 : 2), list, n, "label", t);
        if (label < 0) {
          throw new DataFormatException(list + ": line " + n + ": label must be >= 0, found " + label);
        }
        int frames = -1;
        if (withFrames) {
          frames = parseInt(m.group(2), list, n, "num_frames", t);
          if (frames < 1) {
            throw new DataFormatException(list + ": line " + n + ": num_frames must be >= 1, found " + frames);
          }
        }
        out.add(new MediaEntry(base.resolve(path), label, frames));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(list + ": cannot read list file: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new DataFormatException(list + ": list file has no entries");
    }
    return out;
  }

  private static int parseInt(String s, Path list, int line, String what, String text) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new DataFormatException(list + ": line " + line + ": " + what + " \"" + s + "\" is not an integer (line: \""
          + text + "\")");
    }
  }

  /** A class-per-folder tree: sorted class folder names and their files with a matching extension. */
  public record FolderTree(List<String> classes, List<MediaEntry> entries) {}

  /** Scans {@code root/<class>/<file>}; classes and files sorted by name. */
  public static FolderTree scan(Path root, Set<String> extensions) {
    if (!Files.isDirectory(root)) {
      throw new DataFormatException(root + ": dataset root folder not found");
    }
    TreeMap<String, List<Path>> byClass = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> files = Files.list(d)) {
          byClass.put(d.getFileName().toString(), files
              .filter(p -> Files.isRegularFile(p) && extensions.contains(extension(p)))
              .sorted().toList());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(root + ": cannot list: " + e.getMessage(), e);
    }
    List<String> classes = new ArrayList<>(byClass.keySet());
    List<MediaEntry> entries = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      for (Path p : byClass.get(classes.get(c))) {
        entries.add(new MediaEntry(p, c, -1));
      }
    }
    if (entries.isEmpty()) {
      throw new DataFormatException(root + ": no files with extensions " + extensions + " in any class folder");
    }
    return new FolderTree(classes, entries);
  }

  static String extension(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** Class names "0" .. "max label" for list-file datasets. */
  public static List<String> numericClasses(List<MediaEntry> entries) {
    int max = -1;
    for (MediaEntry e : entries) {
      max = Math.max(max, e.label());
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i <= max; i++) {
      out.add(Integer.toString(i));
    }
    return out;
  }
}
