package org.bevt4j.core.metrics;

import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code metrics.jsonl} back, and truncates a run's metrics to a checkpoint's step on resume
 * (records logged after the checkpoint would otherwise be duplicated by the resumed run).
 */
public final class MetricsHistory {
  private static final Type RECORD = new TypeToken<Map<String, Object>>() {}.getType();

  private MetricsHistory() {}

  /** All well-formed records of {@code <run>/metrics.jsonl} (a torn last line is ignored). */
  public static List<Map<String, Object>> read(Path runDir) throws IOException {
    Path f = runDir.resolve(JsonlMetricsSink.FILE);
    List<Map<String, Object>> out = new ArrayList<>();
    if (!Files.isRegularFile(f)) {
      return out;
    }
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        Map<String, Object> r = JsonlMetricsSink.GSON.fromJson(line, RECORD);
        if (r != null && r.get("step") instanceof Number) {
          out.add(r);
        }
      } catch (JsonParseException e) {
        // a line torn by a kill: skip it
      }
    }
    return out;
  }

  /** Keeps only records with {@code step <= lastStep} in metrics.jsonl and metrics.csv. */
  public static void truncateAfter(Path runDir, long lastStep) throws IOException {
    Path f = runDir.resolve(JsonlMetricsSink.FILE);
    if (!Files.isRegularFile(f)) {
      return;
    }
    List<Map<String, Object>> kept = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    for (Map<String, Object> r : read(runDir)) {
      if (((Number) r.get("step")).longValue() <= lastStep) {
        kept.add(r);
        sb.append(JsonlMetricsSink.GSON.toJson(r)).append('\n');
      }
    }
    Path tmp = runDir.resolve(JsonlMetricsSink.FILE + ".tmp");
    Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    if (Files.isRegularFile(runDir.resolve(CsvMetricsSink.FILE))) {
      CsvMetricsSink.rewrite(runDir, kept);
    }
  }
}
