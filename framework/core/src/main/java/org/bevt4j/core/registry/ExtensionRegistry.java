package org.bevt4j.core.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.bevt4j.api.BevtPluginException;

/**
 * The extensions of one extension point, keyed by name, each with the plugin that provides it.
 * Built once at start-up; a name provided twice is an error naming both plugins.
 *
 * @param <T> the extension type
 */
public class ExtensionRegistry<T> {
  /** The owner recorded for extensions found on the host class path (core's own). */
  public static final String HOST = "core";

  /**
   * One registered extension.
   *
   * @param name its name (the {@code type} used in configuration)
   * @param extension the (single) instance
   * @param owner the id of the plugin providing it, or {@value #HOST}
   */
  public record Entry<T>(String name, T extension, String owner) {
    public String className() {
      return extension.getClass().getName();
    }
  }

  private final String point;
  private final Map<String, Entry<T>> entries;
  private final Supplier<List<String>> notes;

  protected ExtensionRegistry(String point, Map<String, Entry<T>> entries, Supplier<List<String>> notes) {
    this.point = point;
    this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    this.notes = notes == null ? List::of : notes;
  }

  /** A registry of the given entries (duplicates rejected). */
  public static <T> ExtensionRegistry<T> named(String point, List<Entry<T>> entries) {
    return new ExtensionRegistry<>(point, index(point, entries), null);
  }

  /** Indexes entries by name; a duplicate name is a {@link BevtPluginException} naming both owners. */
  static <T> Map<String, Entry<T>> index(String point, List<Entry<T>> list) {
    Map<String, Entry<T>> out = new TreeMap<>();
    for (Entry<T> e : list) {
      Entry<T> prev = out.putIfAbsent(e.name(), e);
      if (prev != null) {
        throw new BevtPluginException(
            point
                + " \""
                + e.name()
                + "\" is provided twice: by "
                + describeOwner(prev)
                + " and by "
                + describeOwner(e)
                + "; remove or disable one of them (list its id in the plugins folder's disabled.txt)");
      }
    }
    return out;
  }

  private static String describeOwner(Entry<?> e) {
    String who = HOST.equals(e.owner()) ? "the host (core)" : "plugin \"" + e.owner() + "\"";
    return who + " (" + e.className() + ")";
  }

  /** The extension point as users know it, e.g. {@code backbone}. */
  public String point() {
    return point;
  }

  public Set<String> names() {
    return entries.keySet();
  }

  public List<Entry<T>> entries() {
    return new ArrayList<>(entries.values());
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public Optional<Entry<T>> entry(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  public Optional<T> find(String name) {
    return entry(name).map(Entry::extension);
  }

  /** The owning plugin id ({@value #HOST} for core's own), or null when unknown. */
  public String whichPlugin(String name) {
    Entry<T> e = entries.get(name);
    return e == null ? null : e.owner();
  }

  /** The extension named {@code name}; unknown names give the known ones and a suggestion. */
  public T get(String name) {
    return get(name, null, null);
  }

  /**
   * The extension named {@code name}, which the configuration key {@code path} set at
   * {@code origin}; unknown names give an {@link UnknownComponentTypeException}.
   */
  public T get(String name, String path, String origin) {
    Entry<T> e = entries.get(name);
    if (e == null) {
      throw new UnknownComponentTypeException(point, path, origin, name, names(), notes.get());
    }
    return e.extension();
  }
}
