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

  /**
   * Lets only events of {@code level} or above through the console appender (e.g. WARN on the
   * non-root ranks of a data-parallel job, whose full log goes to their own file).
   */
  public static void consoleThreshold(Level level) {
    LoggerContext ctx = context();
    if (ctx == null) {
      return;
    }
    var console = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
    if (console == null) {
      return;
    }
    ch.qos.logback.classic.filter.ThresholdFilter f = new ch.qos.logback.classic.filter.ThresholdFilter();
    f.setLevel(level.toString());
    f.setContext(ctx);
    f.start();
    console.addFilter(f);
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
