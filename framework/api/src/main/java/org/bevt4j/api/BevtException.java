package org.bevt4j.api;

/** Base of bevt4j's errors; its message is written for the user and names what was wrong. */
public class BevtException extends RuntimeException {
  public BevtException(String message) {
    super(message);
  }

  public BevtException(String message, Throwable cause) {
    super(message, cause);
  }
}
