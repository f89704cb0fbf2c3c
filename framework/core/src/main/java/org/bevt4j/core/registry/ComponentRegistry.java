package org.bevt4j.core.registry;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bevt4j.api.ComponentFactory;

/**
 * The component factories of one extension point ({@code backbone}, {@code tokenizer},
 * {@code image decoder}, ...), keyed by {@link ComponentFactory#name()}.
 *
 * @param <F> the factory type
 */
public final class ComponentRegistry<F extends ComponentFactory<?>> extends ExtensionRegistry<F> {
  private ComponentRegistry(String point, Map<String, Entry<F>> entries, Supplier<List<String>> notes) {
    super(point, entries, notes);
  }

  /** A registry of the given factories (duplicate names rejected, naming both owners). */
  public static <F extends ComponentFactory<?>> ComponentRegistry<F> of(String point, List<Entry<F>> entries) {
    return new ComponentRegistry<>(point, index(point, entries), null);
  }

  /** Like {@link #of} with extra notes appended to unknown-type errors (e.g. failed plugins). */
  public static <F extends ComponentFactory<?>> ComponentRegistry<F> of(
      String point, List<Entry<F>> entries, Supplier<List<String>> notes) {
    return new ComponentRegistry<>(point, index(point, entries), notes);
  }

  /** The factory's one-line description, or "". */
  public String description(String name) {
    return find(name).map(f -> f.description() == null ? "" : f.description()).orElse("");
  }
}
