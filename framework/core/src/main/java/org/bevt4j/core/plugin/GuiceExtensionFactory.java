package org.bevt4j.core.plugin;

import com.google.inject.Injector;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import org.pf4j.ExtensionFactory;
import org.pf4j.PluginRuntimeException;

/**
 * Creates extensions through the host's single Guice injector, so an extension may take host
 * services in an {@code @jakarta.inject.Inject} constructor. Before the injector exists (while the
 * plugins' {@link org.bevt4j.api.GuiceModuleContribution}s are read) it uses the public no-arg
 * constructor.
 *
 * <p>Every failure, including a {@link LinkageError} from a plugin that bundles its own copy of a
 * host library, is rethrown as a {@link PluginRuntimeException}, which PF4J and the registries treat
 * per extension: one bad plugin does not take the others down. It never returns null.
 */
public final class GuiceExtensionFactory implements ExtensionFactory {
  private volatile Injector injector;

  /** Gives the factory the host injector; extensions created from now on are injected. */
  public void setInjector(Injector injector) {
    this.injector = injector;
  }

  public Injector injector() {
    return injector;
  }

  @Override
  public <T> T create(Class<T> extensionClass) {
    try (ContextClassLoader ignored = ContextClassLoader.ofClass(extensionClass)) {
      Injector inj = injector;
      T instance = inj != null ? inj.getInstance(extensionClass) : construct(extensionClass);
      if (instance == null) {
        throw new PluginRuntimeException("Extension '{}' could not be created (null)", extensionClass.getName());
      }
      return instance;
    } catch (PluginRuntimeException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      throw new PluginRuntimeException(e, "Cannot create extension '{}': {}", extensionClass.getName(), describe(e));
    }
  }

  private static <T> T construct(Class<T> type) {
    try {
      Constructor<T> c = type.getDeclaredConstructor();
      c.setAccessible(true);
      return c.newInstance();
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new PluginRuntimeException(cause, "Constructor of '{}' failed", type.getName());
    } catch (NoSuchMethodException e) {
      throw new PluginRuntimeException(
          "'{}' has no no-arg constructor; extensions read before the injector exists (Guice module contributions) need one",
          type.getName());
    } catch (ReflectiveOperationException e) {
      throw new PluginRuntimeException(e, "Cannot instantiate '{}'", type.getName());
    }
  }

  /** A one-line description of a throwable and its root cause. */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String s = e.getClass().getSimpleName() + ": " + e.getMessage();
    if (root != e) {
      s += " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
    return s;
  }
}
