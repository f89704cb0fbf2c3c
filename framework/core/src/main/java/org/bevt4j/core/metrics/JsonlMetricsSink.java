package org.bevt4j.core.metrics;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.bevt4j.api.MetricsSink;
import org.pf4j.Extension;

/** Writes one JSON object per logging step to {@code <run>/metrics.jsonl}, flushed per record. */
@Extension
public final class JsonlMetricsSink implements MetricsSink {
  public static final String FILE = "metrics.jsonl";
  static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().setObjectToNumberStrategy(com.google.gson.ToNumberPolicy.LONG_OR_DOUBLE).create();

  @Override
  public String name() {
    return "jsonl";
  }

  @Override
  public Writer open(Path runDir, boolean resumed) throws IOException {
    Files.createDirectories(runDir);
    BufferedWriter w =
        Files.newBufferedWriter(
            runDir.resolve(FILE),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    return new Writer() {
      @Override
      public void write(Map<String, Object> record) throws IOException {
        w.write(GSON.toJson(record));
        w.newLine();
        w.flush();
      }

      @Override
      public void close() throws IOException {
        w.close();
      }
    };
  }
}
