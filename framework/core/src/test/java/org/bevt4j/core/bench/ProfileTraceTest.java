package org.bevt4j.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTraceTest {
  @TempDir Path tmp;

  static final String EVENTS = "["
      + "{\"name\":\"aten::matmul\",\"ph\":\"X\",\"ts\":0,\"dur\":100,\"tid\":1},"
      + "{\"name\":\"aten::mm\",\"ph\":\"X\",\"ts\":10,\"dur\":80,\"tid\":1},"
      + "{\"name\":\"aten::add\",\"ph\":\"X\",\"ts\":110,\"dur\":20,\"tid\":1,\"args\":{\"x\":[1,2]}},"
      + "{\"name\":\"autograd::engine::evaluate_function: MmBackward0\",\"ph\":\"X\",\"ts\":150,\"dur\":40},"
      + "{\"name\":\"aten::mm\",\"ph\":\"X\",\"ts\":160,\"dur\":20},"
      + "{\"name\":\"marker\",\"ph\":\"i\",\"ts\":500},"
      + "{\"name\":\"aten::matmul\",\"ph\":\"X\",\"ts\":190,\"dur\":10}]";

  @Test
  void topLevelOpsBusyTimeAndGaps() throws Exception {
    ProfileTrace t = ProfileTrace.summarize(ProfileTrace.parse(new StringReader(EVENTS)));
    assertThat(t.events()).isEqualTo(6);
    assertThat(t.topLevel()).isEqualTo(4);
    assertThat(t.javaCalls()).isEqualTo(3); // the autograd engine's event is not a call from Java
    assertThat(t.spanMs()).isCloseTo(0.2, within(1e-9));
    assertThat(t.busyMs()).isCloseTo(0.17, within(1e-9)); // 100 + 20 + 40 + 10 µs
    assertThat(t.gapFraction()).isCloseTo(0.15, within(1e-9));
    assertThat(t.byName().keySet()).containsExactly(
        "aten::matmul", "autograd::engine::evaluate_function: MmBackward0", "aten::add");
    assertThat(t.byName().get("aten::matmul")).isCloseTo(0.11, within(1e-9));
  }

  @Test
  void readsFilesInBothLayouts() throws Exception {
    Path a = tmp.resolve("a.json");
    Files.writeString(a, EVENTS);
    Path b = tmp.resolve("b.json");
    Files.writeString(b, "{\"displayTimeUnit\":\"ms\",\"traceEvents\":" + EVENTS + "}");
    assertThat(ProfileTrace.read(a)).isEqualTo(ProfileTrace.read(b));
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"traceEvents\": 3}");
    assertThatThrownBy(() -> ProfileTrace.read(bad)).hasMessageContaining("bad.json");
    assertThat(ProfileTrace.summarize(java.util.List.of()).gapFraction()).isZero();
  }
}
