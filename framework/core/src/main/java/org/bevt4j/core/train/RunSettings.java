package org.bevt4j.core.train;

import com.typesafe.config.Config;
import java.nio.file.Path;
import org.bevt4j.api.Settings;

/**
 * {@code bevt.run}: where the run lives and how to resume it.
 *
 * @param name the run name
 * @param dir the run directory ({@code runs/<name>} by default)
 * @param resume none, auto, or a checkpoint/run directory
 * @param resumePath the directory when {@code resume} is {@link Resume#PATH}, else null
 */
public record RunSettings(String name, Path dir, Resume resume, Path resumePath) {
  /** Resume mode. */
  public enum Resume {
    /** Start from scratch (existing checkpoints of the run dir are kept but ignored). */
    NONE,
    /** Continue from the newest valid checkpoint of the run directory, if any. */
    AUTO,
    /** Continue from the given checkpoint (or the newest valid one of the given run dir). */
    PATH
  }

  /** Builds from the root config (reads {@code bevt.run}). */
  public static RunSettings from(Config root) {
    Settings s = Settings.of(root, "").sub("bevt.run");
    String name = s.string("name");
    if (name.isBlank()) {
      throw s.invalid("name", "run name is empty", null);
    }
    String dir = s.string("dir");
    if (dir.isBlank()) {
      throw s.invalid("dir", "run directory is empty", null);
    }
    String r = s.isNull("resume") ? "none" : s.string("resume");
    return switch (r) {
      case "none" -> new RunSettings(name, Path.of(dir), Resume.NONE, null);
      case "auto" -> new RunSettings(name, Path.of(dir), Resume.AUTO, null);
      default -> new RunSettings(name, Path.of(dir), Resume.PATH, Path.of(r));
    };
  }

  /** A copy with another directory (e.g. the CLI's {@code --run-dir}). */
  public RunSettings withDir(Path newDir) {
    return new RunSettings(name, newDir, resume, resumePath);
  }

  /** A copy with another resume mode ({@code --resume}). */
  public RunSettings withResume(Resume mode, Path path) {
    return new RunSettings(name, dir, mode, path);
  }
}
