package org.bevt4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile pickles: every way of naming a global (GLOBAL, STACK_GLOBAL, INST) with code-running
 * functions and classes is refused by name, in both formats, and the payload's marker file is never
 * created.
 */
class PickleSecurityTest {
  @TempDir Path dir;

  static Stream<Arguments> refused() {
    List<String> globals =
        List.of(
            "os.system", "posix.system", "nt.system", "os.popen", "builtins.eval", "builtins.exec",
            "__builtin__.eval", "builtins.getattr", "builtins.__import__", "builtins.open", "builtins.compile",
            "subprocess.Popen", "subprocess.check_output", "sys.exit", "io.open", "shutil.rmtree", "socket.socket",
            "pickle.loads", "_pickle.loads", "marshal.loads", "functools.partial", "operator.attrgetter",
            "importlib.import_module", "runpy.run_path", "webbrowser.open", "pty.spawn", "ctypes.CDLL",
            "types.FunctionType", "copyreg._reconstructor_evil", "torch.load", "torch.hub.load",
            "torch.Tensor.__reduce_ex__", "torch._C._jit_something", "numpy.load", "numpy.testing.Runner",
            "_posixsubprocess.fork_exec", "code.InteractiveInterpreter", "pathlib.Path.write_text", "tempfile.TemporaryFile",
            "mypkg.evil_function", "mypkg.Evil.__init__x", "mypkg..Bad", "My Module.Net");
    Stream.Builder<Arguments> b = Stream.builder();
    for (String g : globals) {
      int dot = g.lastIndexOf('.');
      String module = g.substring(0, dot);
      String name = g.substring(dot + 1);
      if (g.equals("mypkg.Evil.__init__x")) {
        module = "mypkg";
        name = "Evil.__init__x";
      }
      for (String how : List.of("GLOBAL", "STACK_GLOBAL", "INST")) {
        b.add(Arguments.of(module, name, how));
      }
    }
    return b.build();
  }

  private byte[] payload(String module, String name, String how, Path marker) {
    PickleBuilder p = new PickleBuilder().op(0x80).op(how.equals("STACK_GLOBAL") ? 4 : 2);
    p.emptyDict().mark().str("meta");
    String cmd = "touch " + marker;
    switch (how) {
      case "GLOBAL" -> p.global(module, name).mark().str(cmd).tuple().reduce();
      case "STACK_GLOBAL" -> p.stackGlobal(module, name).mark().str(cmd).tuple().reduce();
      default -> p.mark().str(cmd).op('i').raw((module + "\n" + name + "\n").getBytes());
    }
    p.str("state_dict").orderedDict().mark().str("w");
    p.tensor("FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1}, false);
    return p.setItems().setItems().stop().bytes();
  }

  @ParameterizedTest(name = "{2} {0}.{1}")
  @MethodSource("refused")
  void refusedGlobalsAreNamedAndNeverRun(String module, String name, String how) throws IOException {
    Path marker = dir.resolve("pwned");
    String qualified = module + "." + name;
    Path zip = TestCheckpoints.writeZip(
        dir.resolve("evil.pth"), "evil", payload(module, name, how, marker), Map.of("0", new byte[8]));
    assertRefused(zip, qualified);
    Path plain = dir.resolve("evil.pkl");
    Files.write(plain, payload(module, name, how, marker));
    assertRefused(plain, qualified);
    Path legacy = TestCheckpoints.writeLegacy(
        dir.resolve("evil_legacy.pth"), payload(module, name, how, marker), List.of("0"), Map.of("0", new byte[8]),
        Map.of("0", 4));
    assertRefused(legacy, qualified);
    assertThat(marker).doesNotExist();
  }

  private static void assertRefused(Path file, String qualified) {
    assertThatThrownBy(() -> StateDict.load(file))
        .isInstanceOfSatisfying(DisallowedGlobalException.class, e -> assertThat(e.global()).isEqualTo(qualified))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("disallowed global '" + qualified + "'");
  }

  @Test
  void allowedValuesCannotBeCalled() throws IOException {
    PickleBuilder p = PickleBuilder.proto2().global("torch", "FloatStorage").mark().integer(4).tuple().reduce().stop();
    Path file = TestCheckpoints.writeZip(dir.resolve("call.pth"), "call", p.bytes(), Map.of());
    assertThatThrownBy(() -> PyTorchCheckpoints.read(file))
        .isInstanceOf(DisallowedGlobalException.class)
        .hasMessageContaining("torch.FloatStorage")
        .hasMessageContaining("only allowed as a plain value");
  }

  @Test
  void extensionRegistryOpcodesAreRefused() throws IOException {
    PickleBuilder p = PickleBuilder.proto2().op(0x82).op(1).mark().str("x").tuple().reduce().stop();
    Path file = TestCheckpoints.writeZip(dir.resolve("ext.pth"), "ext", p.bytes(), Map.of());
    assertThatThrownBy(() -> PyTorchCheckpoints.read(file))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("extension-registry");
  }

  @Test
  void unknownClassesAreRefusedByDefault() throws IOException {
    PickleBuilder p = PickleBuilder.proto2().emptyDict().mark();
    p.str("x").global("mypkg.stuff", "Thing").emptyTuple().newObj();
    p.setItems().stop();
    Path file = TestCheckpoints.writeZip(dir.resolve("unknown.pth"), "unknown", p.bytes(), Map.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PyTorchCheckpoints.read(file))
        .isInstanceOf(DisallowedGlobalException.class)
        .hasMessageContaining("mypkg.stuff.Thing")
        .hasMessageContaining("unknown.pth");
  }

  @Test
  void inertClassesAreRecordedWithoutRunningAnything() throws IOException {
    // unknown packages are refused unless the user allows them explicitly
    System.setProperty("bevt4j.pickle.allowed-classes", "mypkg.,__main__.");
    try {
    PickleBuilder p = PickleBuilder.proto2().emptyDict().mark();
    p.str("reduced").global("mypkg.stuff", "Thing").mark().str("arg").integer(5).tuple().reduce();
    p.str("newobj").global("__main__", "Model").emptyTuple().newObj().emptyDict().str("k").str("v").setItem().build();
    p.str("proto0").global("copy_reg", "_reconstructor").mark().global("mypkg", "Old").global("__builtin__", "object")
        .none().tuple().reduce();
    p.setItems().stop();
    Path file = TestCheckpoints.writeZip(dir.resolve("inert.pth"), "inert", p.bytes(), Map.of());
    Map<?, ?> root = (Map<?, ?>) PyTorchCheckpoints.read(file).root();
    PyObject reduced = (PyObject) root.get("reduced");
    assertThat(reduced.className()).isEqualTo("mypkg.stuff.Thing");
    assertThat(reduced.args()).containsExactly("arg", 5);
    assertThat(((PyObject) root.get("newobj")).get("k")).isEqualTo("v");
    assertThat(((PyObject) root.get("proto0")).className()).isEqualTo("mypkg.Old");
      } finally {
      System.clearProperty("bevt4j.pickle.allowed-classes");
    }
  }

  @Test
  void policyRecognisesOnlyClassNamesOutsideDeniedPackages() {
    assertThat(PickleGlobals.isInertClass("torch.nn.modules.conv", "Conv3d")).isTrue();
    assertThat(PickleGlobals.isInertClass("dall_e.encoder", "Encoder")).isTrue();
    assertThat(PickleGlobals.isInertClass("torch.nn.modules.conv", "conv3d")).isFalse();
    assertThat(PickleGlobals.isInertClass("torch", "Generator")).isFalse();
    assertThat(PickleGlobals.isInertClass("subprocess", "Popen")).isFalse();
    assertThat(PickleGlobals.isInertClass("os.path", "Whatever")).isFalse();
    assertThat(PickleGlobals.isInertClass("_io", "FileIO")).isFalse();
  }
}
