package org.bevt4j.core.data;

import org.bevt4j.api.BevtException;

/** A malformed dataset description (list file line, folder layout); the message names file and line. */
public class DataFormatException extends BevtException {
  public DataFormatException(String message) {
    super(message);
  }
}
