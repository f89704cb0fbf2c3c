package org.bevt4j.nn.fused;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.ClassDict;
import org.junit.jupiter.api.Test;

class TorchScriptArchiveTest {
  private static final String SRC =
      "class Tiny(Module):\n  __parameters__ = []\n  __buffers__ = []\n  training : bool\n"
          + "  def forward(self: __torch__.Tiny, x: Tensor) -> Tensor:\n    return x\n";

  @Test
  void pickleBytesAreTheExpectedOpcodes() {
    byte[] p = new PickleWriter().global("__torch__", "M").emptyTuple().newObj().emptyDict()
        .mark().string("training").value(true).setItems().build().stop();
    byte[] expected = concat(
        new byte[] {(byte) 0x80, 2, 'c'}, "__torch__\nM\n".getBytes(StandardCharsets.US_ASCII),
        new byte[] {')', (byte) 0x81, '}', '(', 'X', 8, 0, 0, 0},
        "training".getBytes(StandardCharsets.US_ASCII),
        new byte[] {(byte) 0x88, 'u', 'b', '.'});
    assertThat(p).containsExactly(expected);
    assertThat(new PickleWriter().value(1L << 40).stop())
        .containsExactly((byte) 0x80, 2, (byte) 0x8a, 8, 0, 0, 0, 0, 0, 1, 0, 0, '.');
    assertThat(new PickleWriter().value(-2).stop())
        .containsExactly((byte) 0x80, 2, 'J', (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, '.');
    assertThatThrownBy(() -> new PickleWriter().value(1.5)).hasMessageContaining("Double");
  }

  @Test
  void archiveLayoutAndPicklesReadBackWithAPythonCompatibleUnpickler() throws IOException {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("depth", 3);
    attrs.put("label", "w");
    byte[] zip = TorchScriptArchive.build("tiny", "Tiny", SRC, attrs);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        assertThat(e.getMethod()).isEqualTo(ZipEntry.STORED);
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    assertThat(entries.keySet())
        .containsExactly("tiny/data.pkl", "tiny/code/__torch__.py", "tiny/constants.pkl", "tiny/version");
    assertThat(new String(entries.get("tiny/version"), StandardCharsets.US_ASCII)).isEqualTo("3\n");
    assertThat(new String(entries.get("tiny/code/__torch__.py"), StandardCharsets.UTF_8)).isEqualTo(SRC);

    Unpickler u = new Unpickler();
    Object constants = u.loads(entries.get("tiny/constants.pkl"));
    assertThat((Object[]) constants).isEmpty();
    Object module = new Unpickler().loads(entries.get("tiny/data.pkl"));
    assertThat(module).isInstanceOf(ClassDict.class);
    ClassDict cd = (ClassDict) module;
    assertThat(cd.getClassName()).isEqualTo("__torch__.Tiny");
    assertThat(cd).containsEntry("training", true).containsEntry("depth", 3).containsEntry("label", "w");
  }

  @Test
  void invalidNamesAndSourcesAreRejected() {
    assertThatThrownBy(() -> TorchScriptArchive.build("a/b", "Tiny", SRC, Map.of()))
        .hasMessageContaining("archive name 'a/b'");
    assertThatThrownBy(() -> TorchScriptArchive.build("tiny", "Other", SRC, Map.of()))
        .hasMessageContaining("does not declare class Other");
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }
}
