package org.bevt4j.cli.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies the log into a run directory's {@code log.txt} (appending, so a resumed run continues the
 * same file) once the run directory is known.
 *
 * <pre>{@code
 * try (LogFiles.Attached log = LogFiles.attach(runtime.prepareRunDir())) {
 *   trainer.run();
 * }
 * }</pre>
 */
public final class LogFiles {
  /** The log file name inside a run directory. */
  public static final String FILE_NAME = "log.txt";
  private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

  private LogFiles() {}

  /** A file appender that detaches (and flushes) on close. */
  public interface Attached extends AutoCloseable {
    Path file();

    @Override
    void close();
  }

  /** Starts writing every log event that passes the configured levels to {@code runDir/log.txt}. */
  public static Attached attach(Path runDir) throws IOException {
    return attach(runDir, FILE_NAME);
  }

  /**
   * The log file of a data-parallel rank: {@code log.txt} for rank 0, {@code log.rank<N>.txt} for
   * the others (all in the shared run directory).
   */
  public static String fileNameForRank(int rank) {
    return rank == 0 ? FILE_NAME : "log.rank" + rank + ".txt";
  }

  /** Starts writing every log event that passes the configured levels to {@code runDir/fileName}. */
  public static Attached attach(Path runDir, String fileName) throws IOException {
    Files.createDirectories(runDir);
    Path file = runDir.resolve(fileName);
    LoggerContext ctx = LogSetup.context();
    if (ctx == null) {
      return new Attached() {
        @Override
        public Path file() {
          return file;
        }

        @Override
        public void close() {}
      };
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern(PATTERN);
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(ctx);
    appender.setName("run-log-" + file);
    appender.setFile(file.toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    return new Attached() {
      @Override
      public Path file() {
        return file;
      }

      @Override
      public void close() {
        root.detachAppender(appender);
        appender.stop();
      }
    };
  }

  /** For tests: the number of appenders on the root logger. */
  static int rootAppenderCount() {
    LoggerContext ctx = LogSetup.context();
    if (ctx == null) {
      return 0;
    }
    int n = 0;
    for (var it = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }
}
