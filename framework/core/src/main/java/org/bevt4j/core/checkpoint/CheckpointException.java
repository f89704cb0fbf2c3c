package org.bevt4j.core.checkpoint;

import org.bevt4j.api.BevtException;

/** A checkpoint that cannot be written, or that is missing, truncated or corrupt on disk. */
public class CheckpointException extends BevtException {
  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
