package org.bevt4j.api;

/** A plugin could not be loaded, started or asked for an extension. CLI exit code 3. */
public class BevtPluginException extends BevtException {
  public BevtPluginException(String message) {
    super(message);
  }

  public BevtPluginException(String message, Throwable cause) {
    super(message, cause);
  }
}
