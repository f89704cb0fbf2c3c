package org.bevt4j.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench step} parses its options and rejects bad ones with exit code 2 (nothing is measured here). */
class BenchStepCommandTest {
  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = new CommandLine(new BenchStepCommand());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsTheOptions() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("--backbone", "--size", "--streams", "--attention", "--steps", "--warmup", "--threads",
        "--tokenizer-images", "--profile", "--profile-dir", "--json", "--set", "--precision", "matmul");
  }

  @Test
  void badChoicesAreUsageErrorsNamingTheValue() {
    Run size = run("--size", "huge");
    assertThat(size.code()).isEqualTo(2);
    assertThat(size.err()).contains("huge").contains("tiny");
    assertThat(size.out()).isEmpty();
    Run streams = run("--streams", "video,both");
    assertThat(streams.code()).isEqualTo(2);
    assertThat(streams.err()).contains("both");
    Run mode = run("--attention", "flash");
    assertThat(mode.code()).isEqualTo(2);
    assertThat(mode.err()).contains("flash");
    Run precision = run("--precision", "bf16");
    assertThat(precision.code()).isEqualTo(2);
    assertThat(precision.err()).contains("bf16").contains("fp16");
    Run steps = run("--steps", "0");
    assertThat(steps.code()).isEqualTo(2);
    assertThat(steps.err()).contains("steps >= 1");
  }
}
