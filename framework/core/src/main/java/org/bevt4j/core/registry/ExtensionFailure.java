package org.bevt4j.core.registry;

/**
 * An extension that could not be loaded or created; the others are unaffected.
 *
 * @param owner the plugin id, or {@value ExtensionRegistry#HOST}
 * @param point the extension point ({@code backbone}, ...)
 * @param className the extension class, or null when the plugin's index could not be read at all
 * @param message what went wrong, for the user
 * @param cause the underlying error
 */
public record ExtensionFailure(String owner, String point, String className, String message, Throwable cause) {
  @Override
  public String toString() {
    return owner + ": " + point + (className == null ? "" : " " + className) + ": " + message;
  }
}
