package org.bevt4j.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.pf4j.ExtensionPoint;

/** Extension point receiving one record per logging step (jsonl, csv, plots, ...). */
@Stable
public interface MetricsSink extends ExtensionPoint {
  String name();

  /** Opens a writer for a run directory; {@code resumed} means append to existing output. */
  Writer open(Path runDir, boolean resumed) throws IOException;

  /** A per-run writer. */
  interface Writer extends AutoCloseable {
    void write(Map<String, Object> record) throws IOException;

    @Override
    void close() throws IOException;
  }
}
