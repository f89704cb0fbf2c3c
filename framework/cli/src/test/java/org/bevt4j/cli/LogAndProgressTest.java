package org.bevt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bevt4j.cli.logging.LogFiles;
import org.bevt4j.cli.progress.Progress;
import org.bevt4j.cli.progress.TerminalProgressListener;
import org.bevt4j.core.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LogAndProgressTest {
  @TempDir Path tmp;

  @Test
  void runLogIsAppendedWhileAttachedOnly() throws Exception {
    var log = LoggerFactory.getLogger("org.bevt4j.test");
    try (LogFiles.Attached a = LogFiles.attach(tmp.resolve("run"))) {
      log.warn("first line");
      assertThat(a.file()).isEqualTo(tmp.resolve("run/log.txt"));
    }
    log.warn("not in the file");
    try (LogFiles.Attached a = LogFiles.attach(tmp.resolve("run"))) {
      log.warn("after resume");
    }
    String text = Files.readString(tmp.resolve("run/log.txt"));
    assertThat(text).contains("WARN", "first line", "after resume").doesNotContain("not in the file");
  }

  @Test
  void terminalProgressShowsTaskRateAndMessage() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressListener p = new TerminalProgressListener(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try (ProgressListener.Task t = p.start("stage joint", 10, 100, "step")) {
      t.update(40);
      t.message("loss 6.91");
      t.update(100);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("stage joint").contains("100/100").contains("loss 6.91").contains("step/s");
  }

  @Test
  void withoutAConsoleProgressIsLogged() {
    // surefire runs without a console
    assertThat(Progress.forEnvironment()).isNotInstanceOf(TerminalProgressListener.class);
  }
}
