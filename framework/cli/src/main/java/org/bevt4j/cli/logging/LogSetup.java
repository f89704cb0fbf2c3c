package org.bevt4j.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/** Adjusts the Logback configuration ({@code logback.xml}) at run time. */
public final class LogSetup {
  private LogSetup() {}

  /** The Logback context, or null when another SLF4J binding is in use. */
  static LoggerContext context() {
    ILoggerFactory f = LoggerFactory.getILoggerFactory();
    return f instanceof LoggerContext ctx ? ctx : null;
  }

  /** {@code --verbose}: bevt4j and PF4J at DEBUG (including PF4J's own plugin failure traces). */
  public static void setVerbose(boolean verbose) {
    LoggerContext ctx = context();
    if (ctx == null || !verbose) {
      return;
    }
    ctx.getLogger("org.bevt4j").setLevel(Level.DEBUG);
    ctx.getLogger("org.pf4j").setLevel(Level.DEBUG);
    ctx.getLogger("org.pf4j.AbstractPluginManager").setLevel(Level.DEBUG);
    ctx.getLogger("ai.djl").setLevel(Level.INFO);
  }
}
