package org.bevt4j.api;

/**
 * A configuration error: names the key path, where it came from ({@code file: line}), what is wrong
 * and, where possible, a hint (the accepted values, a did-you-mean suggestion). The CLI prints it
 * without a stack trace and exits with code 2.
 */
@Stable
public class BevtConfigException extends BevtException {
  private final String path;
  private final String origin;
  private final String problem;
  private final String hint;

  public BevtConfigException(String path, String origin, String problem, String hint) {
    super(format(path, origin, problem, hint));
    this.path = path;
    this.origin = origin;
    this.problem = problem;
    this.hint = hint;
  }

  public BevtConfigException(String path, String origin, String problem) {
    this(path, origin, problem, null);
  }

  private static String format(String path, String origin, String problem, String hint) {
    StringBuilder sb = new StringBuilder();
    if (path != null && !path.isEmpty()) {
      sb.append(path);
      if (origin != null && !origin.isEmpty()) {
        sb.append(" (").append(origin).append(')');
      }
      sb.append(": ");
    } else if (origin != null && !origin.isEmpty()) {
      sb.append(origin).append(": ");
    }
    sb.append(problem);
    if (hint != null && !hint.isEmpty()) {
      sb.append("; ").append(hint);
    }
    return sb.toString();
  }

  public String path() {
    return path;
  }

  public String origin() {
    return origin;
  }

  public String problem() {
    return problem;
  }

  public String hint() {
    return hint;
  }
}
