package org.bevt4j.swin;

/**
 * A Swin constructor option is invalid: names the upstream option (e.g. {@code num_heads}), the
 * value and the constraint. The backbone factory turns it into a {@link
 * org.bevt4j.api.BevtConfigException} on the matching kebab-case key.
 */
public class InvalidOptionException extends IllegalArgumentException {
  private final String option;

  public InvalidOptionException(String option, String value, String constraint) {
    super(option + " = " + value + ": " + constraint);
    this.option = option;
  }

  /** The upstream option name. */
  public String option() {
    return option;
  }
}
