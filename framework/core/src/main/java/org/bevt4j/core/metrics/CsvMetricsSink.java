package org.bevt4j.core.metrics;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.MetricsSink;
import org.bevt4j.core.train.StepMetrics;
import org.pf4j.Extension;

/**
 * Mirrors the metrics records into {@code <run>/metrics.csv} with the fixed columns of
 * {@link StepMetrics#COLUMNS} (absent values left empty).
 */
@Extension
public final class CsvMetricsSink implements MetricsSink {
  public static final String FILE = "metrics.csv";

  @Override
  public String name() {
    return "csv";
  }

  @Override
  public Writer open(Path runDir, boolean resumed) throws IOException {
    Files.createDirectories(runDir);
    Path file = runDir.resolve(FILE);
    boolean append = resumed && Files.isRegularFile(file) && Files.size(file) > 0;
    BufferedWriter w =
        Files.newBufferedWriter(
            file,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    if (!append) {
      w.write(header());
      w.newLine();
      w.flush();
    }
    return new Writer() {
      @Override
      public void write(Map<String, Object> record) throws IOException {
        w.write(row(record));
        w.newLine();
        w.flush();
      }

      @Override
      public void close() throws IOException {
        w.close();
      }
    };
  }

  static String header() {
    return String.join(",", StepMetrics.COLUMNS);
  }

  static String row(Map<String, Object> record) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < StepMetrics.COLUMNS.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      Object v = record.get(StepMetrics.COLUMNS[i]);
      if (v != null) {
        sb.append(escape(format(v)));
      }
    }
    return sb.toString();
  }

  /** Plain notation for large doubles (timestamps), shortest round-trip form otherwise. */
  static String format(Object v) {
    if (v instanceof Double d && Double.isFinite(d) && Math.abs(d) >= 1e7) {
      return java.math.BigDecimal.valueOf(d).toPlainString();
    }
    return String.valueOf(v);
  }

  private static String escape(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  /** Rewrites the whole CSV from records (used when the history is truncated on resume). */
  static void rewrite(Path runDir, List<Map<String, Object>> records) throws IOException {
    StringBuilder sb = new StringBuilder(header()).append('\n');
    for (Map<String, Object> r : records) {
      sb.append(row(r)).append('\n');
    }
    Path tmp = runDir.resolve(FILE + ".tmp");
    Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, runDir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
