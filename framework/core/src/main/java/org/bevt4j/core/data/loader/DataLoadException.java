package org.bevt4j.core.data.loader;

import org.bevt4j.api.BevtException;

/** A sample could not be loaded under {@code on-error = fail} (or too many replacements failed). */
public class DataLoadException extends BevtException {
  private final String source;

  public DataLoadException(String source, String message, Throwable cause) {
    super(message, cause);
    this.source = source;
  }

  /** The file (or synthetic id) that failed. */
  public String source() {
    return source;
  }
}
