package org.bevt4j.io;

import java.util.List;

/**
 * The outcome of binding a state dict to a module, as PyTorch's {@code load_state_dict} reports it.
 *
 * @param loaded keys copied into parameters
 * @param missing parameter names with no tensor in the state dict
 * @param unexpected tensor names the module does not have
 * @param mismatched wrong-shape keys, each "key: expected [..], found [..]"
 */
public record BindReport(List<String> loaded, List<String> missing, List<String> unexpected, List<String> mismatched) {
  public boolean clean() {
    return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
  }

  /** A multi-line human report (empty parts omitted). */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(loaded.size()).append(" tensors loaded");
    if (!mismatched.isEmpty()) {
      sb.append("\n  wrong shape (").append(mismatched.size()).append("):");
      mismatched.forEach(m -> sb.append("\n    ").append(m));
    }
    if (!missing.isEmpty()) {
      sb.append("\n  missing keys (").append(missing.size()).append("): ").append(abbreviate(missing));
    }
    if (!unexpected.isEmpty()) {
      sb.append("\n  unexpected keys (").append(unexpected.size()).append("): ").append(abbreviate(unexpected));
    }
    return sb.toString();
  }

  private static String abbreviate(List<String> keys) {
    if (keys.size() <= 12) {
      return keys.toString();
    }
    return keys.subList(0, 12) + " ... and " + (keys.size() - 12) + " more";
  }
}
