package org.bevt4j.io;

/**
 * A pickle referred to a Python global (a function or class) that the restricted unpickler does not
 * allow. Nothing was resolved or called; the message names the global as {@code module.name} and the
 * file.
 */
public class DisallowedGlobalException extends WeightFileException {
  private static final long serialVersionUID = 1L;
  private final String global;

  public DisallowedGlobalException(String global, String message) {
    super(message);
    this.global = global;
  }

  /** The refused global, {@code module.name} (e.g. {@code posix.system}). */
  public String global() {
    return global;
  }
}
