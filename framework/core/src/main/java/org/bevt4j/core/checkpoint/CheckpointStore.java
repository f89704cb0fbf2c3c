package org.bevt4j.core.checkpoint;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.TensorData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code checkpoints/} directory of a run.
 *
 * <p>{@link #save} writes {@code model.safetensors} and {@code optimizer.safetensors} into a
 * temporary directory, records their sizes and SHA-256 in {@code state.json} (written last), syncs
 * the files, renames the directory to {@code step-<N>} (atomic on POSIX file systems), then points
 * {@code latest} at it (a one-line text file, replaced atomically) and deletes all but the newest
 * {@code keep} checkpoints. A process killed at any moment therefore leaves either the previous
 * set or the new one, never a half-written {@code step-<N>}. {@link #latestValid()} re-verifies
 * checksums, so a checkpoint damaged afterwards (truncated, bit-flipped) is skipped with a warning.
 */
public final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");
  public static final String LATEST = "latest";
  static final int FORMAT = 1;

  private final Path dir;
  private final int keep;

  /**
   * @param dir the checkpoints directory (created on first save)
   * @param keep how many checkpoints to keep (>= 1)
   */
  public CheckpointStore(Path dir, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be >= 1, got " + keep);
    }
    this.dir = dir;
    this.keep = keep;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Writes a checkpoint atomically and returns its directory.
   *
   * @param trainer the trainer's state, stored under {@code trainer} in {@code state.json}
   */
  public Path save(
      long step,
      Map<String, TensorData> model,
      Map<String, String> modelMeta,
      Map<String, TensorData> optimizer,
      Map<String, String> optimizerMeta,
      JsonObject trainer) {
    Path target = dir.resolve("step-" + step);
    Path tmp = dir.resolve(".tmp-step-" + step + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    try {
      Files.createDirectories(tmp);
      SafeTensors.write(tmp.resolve(Checkpoint.MODEL), model, modelMeta);
      SafeTensors.write(tmp.resolve(Checkpoint.OPTIMIZER), optimizer, optimizerMeta);
      JsonObject files = new JsonObject();
      for (String f : new String[] {Checkpoint.MODEL, Checkpoint.OPTIMIZER}) {
        Path p = tmp.resolve(f);
        sync(p);
        JsonObject info = new JsonObject();
        info.addProperty("bytes", Files.size(p));
        info.addProperty("sha256", Sha256.of(p));
        files.add(f, info);
      }
      JsonObject state = new JsonObject();
      state.addProperty("format", FORMAT);
      state.addProperty("step", step);
      state.addProperty("created", Instant.now().toString());
      state.add("files", files);
      state.add("trainer", trainer);
      Path statePath = tmp.resolve(Checkpoint.STATE);
      Files.writeString(statePath, new GsonBuilder().setPrettyPrinting().create().toJson(state), StandardCharsets.UTF_8);
      sync(statePath);
      if (Files.exists(target)) {
        Path old = dir.resolve(".old-step-" + step + "-" + System.nanoTime());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      writeLatest(target.getFileName().toString());
      prune(step);
      return target;
    } catch (IOException | RuntimeException e) {
      try {
        deleteTree(tmp);
      } catch (IOException ignored) {
        // best effort
      }
      throw new CheckpointException("cannot write checkpoint step-" + step + " in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void writeLatest(String name) throws IOException {
    Path tmp = dir.resolve(".latest.tmp");
    Files.writeString(tmp, name + "\n", StandardCharsets.UTF_8);
    sync(tmp);
    Files.move(tmp, dir.resolve(LATEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void prune(long justWritten) throws IOException {
    List<Path> all = list();
    int excess = all.size() - keep;
    for (int i = 0; i < all.size() && excess > 0; i++) {
      Path p = all.get(i);
      if (stepOf(p) != justWritten) {
        deleteTree(p);
        excess--;
      }
    }
  }

  /** The {@code step-<N>} directories, oldest first (by N). */
  public List<Path> list() {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isDirectory(p) && STEP_DIR.matcher(p.getFileName().toString()).matches()) {
          out.add(p);
        }
      }
    } catch (IOException e) {
      throw new CheckpointException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparingLong(CheckpointStore::stepOf));
    return out;
  }

  /** The directory {@code latest} points at, if any. */
  public Optional<Path> latestPointer() {
    Path f = dir.resolve(LATEST);
    try {
      if (!Files.isRegularFile(f)) {
        return Optional.empty();
      }
      return Optional.of(dir.resolve(Files.readString(f, StandardCharsets.UTF_8).trim()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The newest checkpoint that verifies; damaged newer ones are reported and skipped. */
  public Optional<Checkpoint> latestValid() {
    List<Path> all = list();
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        return Optional.of(open(all.get(i)));
      } catch (CheckpointException e) {
        LOG.warn("{}; falling back to an earlier checkpoint", e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Opens and verifies one checkpoint directory (sizes and SHA-256 of every recorded file). */
  public static Checkpoint open(Path stepDir) {
    Path statePath = stepDir.resolve(Checkpoint.STATE);
    JsonObject state;
    try {
      state = JsonParser.parseString(Files.readString(statePath, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (IOException | JsonParseException | IllegalStateException e) {
      throw new CheckpointException("checkpoint " + stepDir + " is unreadable (" + Checkpoint.STATE + ": " + e.getMessage() + ")", e);
    }
    try {
      if (state.get("format").getAsInt() != FORMAT) {
        throw new CheckpointException("checkpoint " + stepDir + " has format " + state.get("format") + "; this version reads format " + FORMAT);
      }
      long step = state.get("step").getAsLong();
      JsonObject files = state.getAsJsonObject("files");
      for (String f : new String[] {Checkpoint.MODEL, Checkpoint.OPTIMIZER}) {
        JsonObject info = files.getAsJsonObject(f);
        Path p = stepDir.resolve(f);
        if (info == null || !Files.isRegularFile(p)) {
          throw new CheckpointException("checkpoint " + stepDir + " is incomplete: " + f + " is missing");
        }
        long bytes = Files.size(p);
        if (bytes != info.get("bytes").getAsLong()) {
          throw new CheckpointException(
              "checkpoint " + stepDir + " is corrupt: " + f + " has " + bytes + " bytes, " + info.get("bytes").getAsLong() + " recorded (truncated?)");
        }
        String sha = Sha256.of(p);
        if (!sha.equals(info.get("sha256").getAsString())) {
          throw new CheckpointException("checkpoint " + stepDir + " is corrupt: " + f + " fails its SHA-256 checksum");
        }
      }
      if (!state.has("trainer") || !state.get("trainer").isJsonObject()) {
        throw new CheckpointException("checkpoint " + stepDir + " has no trainer state");
      }
      return new Checkpoint(stepDir, step, state);
    } catch (IOException | RuntimeException e) {
      if (e instanceof CheckpointException ce) {
        throw ce;
      }
      throw new CheckpointException("checkpoint " + stepDir + " is unreadable: " + e, e);
    }
  }

  /**
   * Resolves a user-given resume path: a checkpoint directory (with {@code state.json}), a
   * {@code checkpoints} directory or a run directory (its newest valid checkpoint).
   */
  public static Checkpoint resolve(Path path, int keep) {
    if (Files.isRegularFile(path.resolve(Checkpoint.STATE))) {
      return open(path);
    }
    Path ckDir = Files.isDirectory(path.resolve("checkpoints")) ? path.resolve("checkpoints") : path;
    return new CheckpointStore(ckDir, keep)
        .latestValid()
        .orElseThrow(() -> new CheckpointException("no valid checkpoint under " + path));
  }

  /** Removes leftovers of interrupted writes ({@code .tmp-*}, {@code .old-*}). */
  public void cleanLeftovers() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.startsWith(".tmp-step-") || n.startsWith(".old-step-") || n.equals(".latest.tmp")) {
          deleteTree(p);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot clean {}: {}", dir, e.getMessage());
    }
  }

  static long stepOf(Path p) {
    Matcher m = STEP_DIR.matcher(p.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static void sync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
