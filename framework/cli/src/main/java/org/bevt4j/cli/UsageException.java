package org.bevt4j.cli;

/**
 * A user mistake that is not a configuration key: a missing or unreadable input file, a bad option
 * value, an input tensor of the wrong shape. Printed as {@code error: <message>} without a stack
 * trace (unless {@code --verbose}); exit code 2.
 */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
