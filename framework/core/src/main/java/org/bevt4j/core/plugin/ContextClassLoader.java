package org.bevt4j.core.plugin;

/**
 * Sets the thread context class loader for the duration of a call into plugin code and restores it
 * afterwards. Libraries that look things up through the context loader (ServiceLoader, Typesafe
 * Config's {@code ConfigFactory.load()}, DJL's engine discovery) then see the plugin's own
 * resources.
 *
 * <pre>{@code
 * try (ContextClassLoader ignored = ContextClassLoader.of(factory)) {
 *   component = factory.create(settings, ctx);
 * }
 * }</pre>
 */
public final class ContextClassLoader implements AutoCloseable {
  private final Thread thread;
  private final ClassLoader previous;

  private ContextClassLoader(ClassLoader loader) {
    this.thread = Thread.currentThread();
    this.previous = thread.getContextClassLoader();
    if (loader != null) {
      thread.setContextClassLoader(loader);
    }
  }

  /** Switches to {@code loader} (no change when null). */
  public static ContextClassLoader use(ClassLoader loader) {
    return new ContextClassLoader(loader);
  }

  /** Switches to the loader of the object's class (the owning plugin's loader for an extension). */
  public static ContextClassLoader of(Object pluginObject) {
    return new ContextClassLoader(pluginObject == null ? null : pluginObject.getClass().getClassLoader());
  }

  /** Switches to the loader of a class. */
  public static ContextClassLoader ofClass(Class<?> type) {
    return new ContextClassLoader(type.getClassLoader());
  }

  @Override
  public void close() {
    thread.setContextClassLoader(previous);
  }
}
