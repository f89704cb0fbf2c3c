package org.bevt4j.cli.commands;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bevt4j.cli.UsageException;
import org.bevt4j.core.bench.BenchRecord;
import org.bevt4j.core.bench.BenchTable;

/** Writes a benchmark's JSON file (and prints record tables). */
final class BenchJson {
  private BenchJson() {}

  /** Prints {@code records} as a table on {@code out} and, when {@code file} is set, writes them there as a JSON array. */
  static void printAndWrite(PrintWriter out, List<BenchRecord> records, Path file) {
    out.print(BenchTable.format(records));
    out.flush();
    if (file != null) {
      write(file, BenchRecord.toJson(records));
    }
  }

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
