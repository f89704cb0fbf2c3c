package org.bevt4j.cli;

/** The documented exit codes of {@code bevt4j}. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** An internal error (a bug, or an environment problem such as a missing native library). */
  public static final int INTERNAL = 1;
  /** Invalid usage or configuration. */
  public static final int USAGE = 2;
  /** A plugin could not be loaded, started or used. */
  public static final int PLUGIN = 3;

  private ExitCodes() {}
}
