package org.bevt4j.cli.commands;

import java.util.concurrent.Callable;
import org.bevt4j.cli.ExitCodes;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A documented command whose implementation is not part of this build yet: it says so plainly and
 * exits with code 2, producing no output that could be mistaken for a result.
 */
public abstract class PendingCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println(spec.name() + " is not available in this build yet");
    spec.commandLine().getErr().flush();
    return ExitCodes.USAGE;
  }
}
