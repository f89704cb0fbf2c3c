package org.bevt4j.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bevt4j.api.ComponentFactory;

/**
 * The extensions listed in {@code META-INF/extensions.idx} (written by PF4J's annotation processor
 * for every {@code @Extension} class) on a class loader, instantiated with their no-arg
 * constructors. In a plugin's own tests this finds the plugin's factories exactly as the host will,
 * so a missing index (annotation processor not configured) shows up as "not found".
 */
public final class PluginExtensions {
  /** The index PF4J reads. */
  public static final String INDEX = "META-INF/extensions.idx";

  private PluginExtensions() {}

  /** Every class name listed in every index visible to {@code loader}, in order, without duplicates. */
  public static List<String> indexedClassNames(ClassLoader loader) {
    Set<String> out = new LinkedHashSet<>();
    try {
      for (URL u : Collections.list(loader.getResources(INDEX))) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(u.openStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            String s = line.trim();
            if (!s.isEmpty() && !s.startsWith("#")) {
              out.add(s);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + INDEX + ": " + e.getMessage(), e);
    }
    return new ArrayList<>(out);
  }

  /** Instances of every indexed extension implementing {@code point}. */
  public static <F> List<F> all(Class<F> point, ClassLoader loader) {
    List<F> out = new ArrayList<>();
    for (String name : indexedClassNames(loader)) {
      Class<?> c;
      try {
        c = Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalStateException(INDEX + " lists " + name + ", which cannot be loaded: " + e, e);
      }
      if (point.isAssignableFrom(c)) {
        out.add(point.cast(instantiate(c)));
      }
    }
    return out;
  }

  /**
   * The indexed factory of {@code point} whose {@code name()} is {@code name}.
   *
   * @throws IllegalStateException naming the known names when there is none
   */
  public static <F extends ComponentFactory<?>> F named(Class<F> point, String name, ClassLoader loader) {
    List<String> known = new ArrayList<>();
    for (F f : all(point, loader)) {
      if (f.name().equals(name)) {
        return f;
      }
      known.add(f.name());
    }
    throw new IllegalStateException(
        "no @Extension "
            + point.getSimpleName()
            + " named \""
            + name
            + "\" in "
            + INDEX
            + "; indexed: "
            + known
            + " (is org.pf4j.processor.ExtensionAnnotationProcessor configured in the compiler plugin?)");
  }

  private static Object instantiate(Class<?> c) {
    try {
      Constructor<?> ctor = c.getDeclaredConstructor();
      ctor.setAccessible(true);
      return ctor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          c.getName() + " has no no-arg constructor; pass this factory to the harness explicitly", e);
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot instantiate " + c.getName() + ": " + e, e);
    }
  }
}
