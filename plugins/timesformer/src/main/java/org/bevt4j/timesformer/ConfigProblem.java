package org.bevt4j.timesformer;

/**
 * An invalid TimeSformer configuration value, naming the field by its upstream name (e.g.
 * {@code embed_dim}); settings readers turn it into a config error on the matching kebab-case key.
 */
public final class ConfigProblem extends IllegalArgumentException {
  private final String field;

  public ConfigProblem(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /** The upstream field name. */
  public String field() {
    return field;
  }

  /** The kebab-case configuration key of the field (e.g. {@code embed-dim}). */
  public String configKey() {
    return field.replace('_', '-');
  }

  /** The problem without the field prefix. */
  public String problem() {
    return getMessage().substring(field.length() + 2);
  }
}
