package org.bevt4j.io;

import org.bevt4j.api.BevtException;

/** A weight or checkpoint file is unreadable, truncated, malformed or refused; the message names the file. */
public class WeightFileException extends BevtException {
  public WeightFileException(String message) {
    super(message);
  }

  public WeightFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
