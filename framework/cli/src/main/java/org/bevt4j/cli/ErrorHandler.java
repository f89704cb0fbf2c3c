package org.bevt4j.cli;

import java.io.PrintWriter;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.BevtPluginException;
import org.bevt4j.io.WeightFileException;
import org.pf4j.PluginRuntimeException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps exceptions to exit codes and prints them for users: a configuration or usage error
 * ({@link UsageException}, a bad weights file; exit 2) or a
 * plugin error (exit 3) as its message alone, other errors (exit 1) with a hint; the stack trace
 * only with {@code --verbose}.
 */
public final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
    boolean verbose = isVerbose(commandLine);
    PrintWriter err = commandLine.getErr();
    int code = exitCode(ex);
    String text =
        switch (code) {
          case ExitCodes.USAGE -> (ex instanceof BevtConfigException ? "configuration error: " : "error: ") + ex.getMessage();
          case ExitCodes.PLUGIN -> "plugin error: " + ex.getMessage();
          default -> ex instanceof BevtException ? "error: " + ex.getMessage() : "internal error: " + ex;
        };
    err.println(commandLine.getColorScheme().errorText(text));
    if (verbose) {
      ex.printStackTrace(err);
    } else if (code == ExitCodes.INTERNAL && !(ex instanceof BevtException)) {
      err.println("(run again with --verbose for the stack trace)");
    }
    err.flush();
    return code;
  }

  /** The exit code for an exception thrown by a command. */
  public static int exitCode(Throwable ex) {
    if (ex instanceof BevtConfigException || ex instanceof UsageException || ex instanceof WeightFileException) {
      // a weights file that is missing, malformed, refused or does not fit the model is the user's input
      return ExitCodes.USAGE;
    }
    if (ex instanceof BevtPluginException || ex instanceof PluginRuntimeException) {
      return ExitCodes.PLUGIN;
    }
    return ExitCodes.INTERNAL;
  }

  private static boolean isVerbose(CommandLine cl) {
    CommandLine c = cl;
    while (c.getParent() != null) {
      c = c.getParent();
    }
    return c.getCommand() instanceof BevtCommand b && b.verbose();
  }
}
