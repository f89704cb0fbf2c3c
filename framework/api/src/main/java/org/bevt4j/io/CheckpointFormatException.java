package org.bevt4j.io;

/** A structural problem in a checkpoint; {@link PyTorchCheckpoints} adds the file name. */
final class CheckpointFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CheckpointFormatException(String message) {
    super(message);
  }

  CheckpointFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
