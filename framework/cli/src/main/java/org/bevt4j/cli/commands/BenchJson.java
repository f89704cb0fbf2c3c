package org.bevt4j.cli.commands;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bevt4j.cli.UsageException;

/** Writes a benchmark's JSON file. */
final class BenchJson {
  private BenchJson() {}

  static void write(Path file, Map<String, Object> values) {
    write(file, new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(values));
  }

  static void write(Path file, String json) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, json + "\n");
    } catch (IOException e) {
      throw new UsageException(file + ": cannot write: " + e.getMessage(), e);
    }
  }
}
