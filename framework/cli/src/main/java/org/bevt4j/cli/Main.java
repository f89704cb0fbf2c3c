package org.bevt4j.cli;

import org.bevt4j.cli.logging.LogSetup;
import picocli.CommandLine;

/** Entry point of the {@code bevt4j} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line in-process and returns its exit code ({@link ExitCodes}). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The configured picocli command line (tests set its output streams). */
  public static CommandLine commandLine() {
    BevtCommand root = new BevtCommand();
    CommandLine cl = new CommandLine(root);
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionStrategy(
        parseResult -> {
          LogSetup.setVerbose(root.verbose());
          return new CommandLine.RunLast().execute(parseResult);
        });
    return cl;
  }
}
