package org.bevt4j.core.finetune;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.bevt4j.core.metrics.MetricsHistory;

/**
 * The fine-tuning run's {@code metrics.jsonl} (one JSON object per record, {@code kind} = train or
 * val) and {@code metrics.csv} (the columns of {@link StepRecord#COLUMNS}), flushed per record. On
 * resume both are cut back to the checkpoint's step first, so the resumed run does not duplicate
 * records.
 */
final class MetricsLog implements AutoCloseable {
  static final String JSONL = "metrics.jsonl";
  static final String CSV = "metrics.csv";
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();

  private final BufferedWriter jsonl;
  private final BufferedWriter csv;

  private MetricsLog(BufferedWriter jsonl, BufferedWriter csv) {
    this.jsonl = jsonl;
    this.csv = csv;
  }

  /**
   * Opens the files of {@code runDir}: truncated when {@code resumeStep < 0}, else cut back to
   * records with {@code step <= resumeStep} and appended to.
   */
  static MetricsLog open(Path runDir, long resumeStep) throws IOException {
    Files.createDirectories(runDir);
    if (resumeStep >= 0) {
      List<Map<String, Object>> kept = MetricsHistory.read(runDir).stream()
          .filter(r -> ((Number) r.get("step")).longValue() <= resumeStep)
          .toList();
      StringBuilder j = new StringBuilder();
      StringBuilder c = new StringBuilder(header()).append('\n');
      for (Map<String, Object> r : kept) {
        j.append(GSON.toJson(r)).append('\n');
        c.append(row(r)).append('\n');
      }
      replace(runDir.resolve(JSONL), j.toString());
      replace(runDir.resolve(CSV), c.toString());
    }
    StandardOpenOption mode = resumeStep >= 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
    BufferedWriter j = Files.newBufferedWriter(runDir.resolve(JSONL), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
    BufferedWriter c;
    try {
      c = Files.newBufferedWriter(runDir.resolve(CSV), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
      if (resumeStep < 0) {
        c.write(header());
        c.newLine();
        c.flush();
      }
    } catch (IOException e) {
      j.close();
      throw e;
    }
    return new MetricsLog(j, c);
  }

  void write(Map<String, Object> record) throws IOException {
    jsonl.write(GSON.toJson(record));
    jsonl.newLine();
    jsonl.flush();
    csv.write(row(record));
    csv.newLine();
    csv.flush();
  }

  private static void replace(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static String header() {
    return String.join(",", StepRecord.COLUMNS);
  }

  static String row(Map<String, Object> record) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < StepRecord.COLUMNS.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      Object v = record.get(StepRecord.COLUMNS[i]);
      if (v instanceof Double d && Double.isFinite(d) && Math.abs(d) >= 1e7) {
        sb.append(java.math.BigDecimal.valueOf(d).toPlainString());
      } else if (v != null) {
        sb.append(v);
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    try {
      jsonl.close();
    } finally {
      csv.close();
    }
  }
}
