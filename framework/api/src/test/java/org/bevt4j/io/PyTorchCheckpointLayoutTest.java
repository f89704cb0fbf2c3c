package org.bevt4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Storage layouts (offsets, strides, shared storages, 0-d, empty), dtypes and both file formats. */
class PyTorchCheckpointLayoutTest {
  @TempDir Path dir;

  /** One view of storage "0": name, offset, size, stride. */
  record View(String name, long offset, long[] size, long[] stride) {}

  static final int NUMEL = 40;

  static final List<View> VIEWS =
      List.of(
          new View("transposed", 0, new long[] {3, 2}, new long[] {1, 3}),
          new View("contig", 2, new long[] {2, 3}, new long[] {3, 1}),
          new View("step2", 1, new long[] {4}, new long[] {2}),
          new View("scalar", 39, new long[] {}, new long[] {}),
          new View("chlast", 0, new long[] {2, 3, 2, 2}, new long[] {12, 1, 6, 3}),
          new View("empty", 0, new long[] {0, 3}, new long[] {3, 1}),
          new View("expanded", 5, new long[] {3, 2}, new long[] {0, 1}),
          new View("padded_tail", 30, new long[] {2, 4}, new long[] {4, 1}));

  static float storageValue(long i) {
    return i * 1.5f - 7f;
  }

  static byte[] floatStorage(int n) {
    ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      b.putFloat(storageValue(i));
    }
    return b.array();
  }

  /** Independent reference: element (i0..in) = storage[offset + sum(i_d * stride_d)], row-major. */
  static float[] expected(View v) {
    int n = (int) TensorData.numel(v.size());
    float[] out = new float[n];
    for (int flat = 0; flat < n; flat++) {
      long rem = flat;
      long idx = v.offset();
      for (int d = v.size().length - 1; d >= 0; d--) {
        idx += (rem % v.size()[d]) * v.stride()[d];
        rem /= v.size()[d];
      }
      out[flat] = storageValue(idx);
    }
    return out;
  }

  private byte[] viewsPickle(boolean legacy) {
    PickleBuilder p = PickleBuilder.proto2().emptyDict().mark();
    p.str("meta").emptyDict().str("epoch").integer(3).setItem();
    p.str("state_dict").orderedDict().mark();
    for (View v : VIEWS) {
      p.str(v.name()).tensor("FloatStorage", "0", NUMEL, v.offset(), v.size(), v.stride(), legacy);
    }
    p.str("count").tensor("LongStorage", "1", 1, 0, new long[] {}, new long[] {}, legacy);
    p.setItems();
    return p.setItems().stop().bytes();
  }

  private Path write(boolean legacy) throws IOException {
    Map<String, byte[]> storages = new LinkedHashMap<>();
    storages.put("0", floatStorage(NUMEL));
    storages.put("1", PickleBuilder.le(7, 8));
    if (legacy) {
      return TestCheckpoints.writeLegacy(
          dir.resolve("views_legacy.pth"), viewsPickle(true), List.of("0", "1"), storages, Map.of("0", 4, "1", 8));
    }
    return TestCheckpoints.writeZip(dir.resolve("views.pth"), "views", viewsPickle(false), storages);
  }

  @ParameterizedTest(name = "legacy={0}")
  @ValueSource(booleans = {false, true})
  void stridedViewsOfOneSharedStorageAreMaterialisedRowMajor(boolean legacy) throws IOException {
    Path file = write(legacy);
    TorchCheckpoint ckpt = PyTorchCheckpoints.read(file);
    assertThat(ckpt.format()).isEqualTo(legacy ? TorchCheckpoint.Format.LEGACY : TorchCheckpoint.Format.ZIP);
    StateDict sd = ckpt.stateDict();
    List<String> names = new ArrayList<>(VIEWS.stream().map(View::name).toList());
    names.add("count");
    assertThat(sd.keys()).containsExactlyElementsOf(names);
    assertThat(sd.metadata()).containsEntry("container", "state_dict");
    for (View v : VIEWS) {
      TensorData t = sd.get(v.name());
      assertThat(t.dtype()).as(v.name()).isEqualTo(DType.F32);
      assertThat(t.shape()).as(v.name()).isEqualTo(v.size());
      assertThat(t.toFloats()).as(v.name()).containsExactly(expected(v));
    }
    assertThat(sd.get("count").dtype()).isEqualTo(DType.I64);
    assertThat(sd.get("count").shape()).isEmpty();
    assertThat(sd.get("count").toLongs()).containsExactly(7L);
    Map<?, ?> state = (Map<?, ?>) ((Map<?, ?>) ckpt.root()).get("state_dict");
    TorchStorage shared = ((TorchTensor) state.get("contig")).storage();
    for (View v : VIEWS) {
      TorchTensor t = (TorchTensor) state.get(v.name());
      assertThat(t.storage()).as("one storage object per record").isSameAs(shared);
      assertThat(t.storageOffset()).isEqualTo(v.offset());
      assertThat(t.stride()).isEqualTo(v.stride());
    }
    assertThat(((TorchTensor) state.get("contig")).isContiguous()).isTrue();
    assertThat(((TorchTensor) state.get("transposed")).isContiguous()).isFalse();
    assertThat(((Map<?, ?>) ((Map<?, ?>) ckpt.root()).get("meta")).get("epoch")).isEqualTo(3);
  }

  @Test
  void legacyStorageViewsAddTheirOffset() throws IOException {
    PickleBuilder p = PickleBuilder.proto2().emptyDict().mark().str("v");
    p.global("torch._utils", "_rebuild_tensor_v2").mark();
    p.mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(NUMEL);
    p.mark().str("0v").integer(10).integer(6).tuple().tuple().binPersId();
    p.integer(1).ints(2, 2).ints(2, 1).bool(false).orderedDict().tuple().reduce();
    byte[] pickle = p.setItems().stop().bytes();
    Path file = TestCheckpoints.writeLegacy(
        dir.resolve("view.pth"), pickle, List.of("0"), Map.of("0", floatStorage(NUMEL)), Map.of("0", 4));
    StateDict sd = PyTorchCheckpoints.loadStateDict(file);
    assertThat(sd.get("v").toFloats())
        .containsExactly(storageValue(11), storageValue(12), storageValue(13), storageValue(14));
  }

  /** Each storage type with 4 elements, read whole and through a transposed 2x2 view. */
  @Test
  void everyStorageDtypeKeepsItsBytes() throws IOException {
    Object[][] types = {
      {"FloatStorage", DType.F32}, {"DoubleStorage", DType.F64}, {"HalfStorage", DType.F16},
      {"BFloat16Storage", DType.BF16}, {"LongStorage", DType.I64}, {"IntStorage", DType.I32},
      {"ShortStorage", DType.I16}, {"CharStorage", DType.I8}, {"ByteStorage", DType.U8}, {"BoolStorage", DType.BOOL}
    };
    PickleBuilder p = PickleBuilder.proto2().emptyDict().mark();
    Map<String, byte[]> storages = new LinkedHashMap<>();
    for (int i = 0; i < types.length; i++) {
      DType d = (DType) types[i][1];
      byte[] data = new byte[4 * d.bytes()];
      for (int j = 0; j < data.length; j++) {
        data[j] = (byte) (d == DType.BOOL ? j % 2 : 17 * i + 3 * j + 1);
      }
      storages.put(String.valueOf(i), data);
      p.str(d + "_whole").tensor((String) types[i][0], String.valueOf(i), 4, 0, new long[] {4}, new long[] {1}, false);
      p.str(d + "_t").tensor((String) types[i][0], String.valueOf(i), 4, 0, new long[] {2, 2}, new long[] {1, 2}, false);
    }
    Path file = TestCheckpoints.writeZip(dir.resolve("dtypes.pt"), "archive", p.setItems().stop().bytes(), storages);
    StateDict sd = PyTorchCheckpoints.loadStateDict(file);
    for (int i = 0; i < types.length; i++) {
      DType d = (DType) types[i][1];
      byte[] data = storages.get(String.valueOf(i));
      TensorData whole = sd.get(d + "_whole");
      assertThat(whole.dtype()).isEqualTo(d);
      assertThat(bytes(whole)).as(d + " whole").isEqualTo(data);
      TensorData t = sd.get(d + "_t");
      int es = d.bytes();
      byte[] want = new byte[data.length];
      int[] order = {0, 2, 1, 3};
      for (int k = 0; k < 4; k++) {
        System.arraycopy(data, order[k] * es, want, k * es, es);
      }
      assertThat(t.shape()).containsExactly(2, 2);
      assertThat(bytes(t)).as(d + " transposed").isEqualTo(want);
    }
  }

  static byte[] bytes(TensorData t) {
    ByteBuffer b = t.bytes();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void pickledModuleIsWalkedLikeStateDict() throws IOException {
    // unknown packages are refused unless the user allows them explicitly
    System.setProperty("bevt4j.pickle.allowed-classes", "mypkg.,__main__.");
    try {
    PickleBuilder p = PickleBuilder.proto2();
    p.global("mypkg.nets", "Net").emptyTuple().newObj().emptyDict().mark();
    p.str("training").bool(false);
    p.str("_parameters").orderedDict().mark().str("w");
    p.tensor("FloatStorage", "0", NUMEL, 0, new long[] {2}, new long[] {1}, false);
    p.str("unset").none().setItems();
    p.str("_buffers").orderedDict().mark();
    p.str("running").tensor("FloatStorage", "0", NUMEL, 2, new long[] {2}, new long[] {1}, false);
    p.str("tmp").tensor("FloatStorage", "0", NUMEL, 4, new long[] {2}, new long[] {1}, false);
    p.setItems();
    p.str("_non_persistent_buffers_set").global("__builtin__", "set").emptyList().mark().str("tmp").appends()
        .tuple1().reduce();
    p.str("_modules").orderedDict().mark();
    p.str("child").global("torch.nn.modules.linear", "Linear").emptyTuple().newObj().emptyDict().mark();
    p.str("_parameters").orderedDict().mark().str("weight");
    p.global("torch._utils", "_rebuild_parameter").mark();
    p.tensor("FloatStorage", "0", NUMEL, 6, new long[] {1, 2}, new long[] {2, 1}, false);
    p.bool(true).orderedDict().tuple().reduce();
    p.str("bias").none().setItems();
    p.str("_buffers").orderedDict().str("_modules").orderedDict();
    p.str("in_features").integer(2).str("device").global("torch", "device").str("cpu").tuple1().reduce();
    p.setItems().build();
    p.str("absent").none().setItems();
    p.setItems().build().stop();
    Path file = TestCheckpoints.writeZip(dir.resolve("net.pkl"), "net", p.bytes(), Map.of("0", floatStorage(NUMEL)));
    TorchCheckpoint ckpt = PyTorchCheckpoints.read(file);
    PyObject root = (PyObject) ckpt.root();
    assertThat(root.className()).isEqualTo("mypkg.nets.Net");
    PyObject child = (PyObject) ((Map<?, ?>) root.get("_modules")).get("child");
    assertThat(child.className()).isEqualTo("torch.nn.modules.linear.Linear");
    assertThat(child.get("device")).isEqualTo("cpu");
    assertThat(child.get("in_features")).isEqualTo(2);
    StateDict sd = ckpt.stateDict();
    assertThat(sd.keys()).containsExactly("w", "running", "child.weight");
    assertThat(sd.metadata()).containsEntry("container", "<module>");
    assertThat(sd.get("child.weight").toFloats()).containsExactly(storageValue(6), storageValue(7));
    TorchTensor weight = (TorchTensor) ((Map<?, ?>) child.get("_parameters")).get("weight");
    assertThat(weight.isParameter()).isTrue();
    assertThat(weight.requiresGrad()).isTrue();
      } finally {
      System.clearProperty("bevt4j.pickle.allowed-classes");
    }
  }

  private Path zipWith(String name, PickleBuilder p) throws IOException {
    return TestCheckpoints.writeZip(dir.resolve(name), "c", p.stop().bytes(), Map.of("0", floatStorage(NUMEL)));
  }

  private static PickleBuilder t(PickleBuilder p, long offset) {
    return p.tensor("FloatStorage", "0", NUMEL, offset, new long[] {1}, new long[] {1}, false);
  }

  @Test
  void containersAreSearchedInTheDocumentedOrder() throws IOException {
    // mmcv layout: only the state_dict entries, never optimizer buffers
    PickleBuilder mmcv = PickleBuilder.proto2().emptyDict().mark();
    mmcv.str("meta").emptyDict().str("epoch").integer(3).setItem();
    t(mmcv.str("state_dict").orderedDict().mark().str("backbone.b"), 1);
    t(mmcv.str("backbone.a"), 0).setItems();
    mmcv.str("optimizer").emptyDict().str("state").emptyDict().integer(0).emptyDict().str("momentum_buffer");
    t(mmcv, 2).setItem().setItem().setItem();
    StateDict a = PyTorchCheckpoints.loadStateDict(zipWith("mmcv.pth", mmcv.setItems()));
    assertThat(a.keys()).containsExactly("backbone.b", "backbone.a");
    assertThat(a.metadata()).containsEntry("container", "state_dict");

    PickleBuilder beit = PickleBuilder.proto2().emptyDict().mark().str("epoch").integer(1);
    t(beit.str("model").emptyDict().str("x"), 3).setItem();
    t(beit.str("model_ema").emptyDict().str("y"), 4).setItem();
    StateDict b = PyTorchCheckpoints.loadStateDict(zipWith("beit.pth", beit.setItems()));
    assertThat(b.keys()).containsExactly("x");
    assertThat(b.metadata()).containsEntry("container", "model");

    PickleBuilder nested = PickleBuilder.proto2().emptyDict().str("state_dict").emptyDict().str("module").emptyDict();
    t(nested.str("z"), 5).setItem().setItem().setItem();
    StateDict c = PyTorchCheckpoints.loadStateDict(zipWith("nested.pth", nested));
    assertThat(c.keys()).containsExactly("z");
    assertThat(c.metadata()).containsEntry("container", "state_dict.module");

    PickleBuilder parts = PickleBuilder.proto2().emptyDict().mark();
    t(parts.str("encoder").emptyDict().str("w"), 6).setItem();
    t(parts.str("optimizer_state").emptyDict().str("m"), 7).setItem();
    t(parts.str("decoder").emptyDict().str("w"), 8).setItem();
    t(parts.str("scale"), 9);
    parts.str("epoch").integer(4);
    StateDict d = PyTorchCheckpoints.loadStateDict(zipWith("parts.pth", parts.setItems()));
    assertThat(d.keys()).containsExactly("encoder.w", "decoder.w", "scale");

    PickleBuilder flat = PickleBuilder.proto2().orderedDict().mark();
    t(flat.str("k2"), 1);
    t(flat.str("k1"), 2);
    StateDict e = PyTorchCheckpoints.loadStateDict(zipWith("flat.bin", flat.setItems()));
    assertThat(e.keys()).containsExactly("k2", "k1");
    assertThat(e.metadata()).containsEntry("container", "<root>").containsEntry("format", "torch-zip");
  }

  @Test
  void checkpointsWithoutModelTensorsAreReportedWithTheirKeys() throws IOException {
    PickleBuilder p = PickleBuilder.proto2().emptyDict().mark().str("epoch").integer(3);
    t(p.str("optimizer").emptyDict().str("m"), 1).setItem().setItems();
    Path file = zipWith("noweights.pth", p);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PyTorchCheckpoints.loadStateDict(file))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("no model tensors")
        .hasMessageContaining("[epoch, optimizer]");
    Path single = zipWith("single.pt", t(PickleBuilder.proto2(), 0));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PyTorchCheckpoints.loadStateDict(single))
        .hasMessageContaining("a single tensor");
  }

  @Test
  void metadataValuesOfOtherLibrariesAreKeptAsData() throws IOException {
    // unknown packages are refused unless the user allows them explicitly
    System.setProperty("bevt4j.pickle.allowed-classes", "mypkg.,__main__.");
    try {
    byte[] f8 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.75).array();
    PickleBuilder p = PickleBuilder.proto2().emptyDict().mark();
    p.str("best").global("numpy.core.multiarray", "scalar");
    p.global("numpy", "dtype").str("f8").bool(false).bool(true).tuple3().reduce();
    p.mark().integer(3).str("<").none().none().none().integer(-1).integer(-1).integer(0).tuple().build();
    p.global("_codecs", "encode").str(new String(f8, java.nio.charset.StandardCharsets.ISO_8859_1)).str("latin1")
        .tuple2().reduce().tuple2().reduce();
    p.str("args").global("argparse", "Namespace").emptyTuple().newObj().emptyDict().str("lr").floatValue(0.1)
        .setItem().build();
    p.str("cb").emptyDict().global("pytorch_lightning.callbacks.model_checkpoint", "ModelCheckpoint")
        .str("ok").setItem();
    p.str("tags").global("__builtin__", "frozenset").emptyList().mark().str("a").str("b").appends().tuple1().reduce();
    p.str("config").global("yacs.config", "CfgNode").emptyTuple().newObj().mark().str("LR").floatValue(0.5).setItems()
        .emptyDict().str("__immutable__").bool(false).setItem().build();
    p.str("history").global("mypkg", "History").emptyTuple().newObj().mark().integer(1).integer(2).appends();
    p.str("when").global("datetime", "timedelta").ints(1, 30, 0).reduce();
    p.str("out").global("pathlib", "PosixPath").mark().str("work").str("dirs").tuple().reduce();
    t(p.str("state_dict").emptyDict().str("w"), 0).setItem();
    TorchCheckpoint ckpt = PyTorchCheckpoints.read(zipWith("meta.pth", p.setItems()));
    Map<?, ?> root = (Map<?, ?>) ckpt.root();
    assertThat(root.get("best")).isEqualTo(0.75);
    assertThat(((PyObject) root.get("args")).get("lr")).isEqualTo(0.1);
    assertThat(((Map<?, ?>) root.get("cb")).keySet().iterator().next().toString())
        .isEqualTo("pytorch_lightning.callbacks.model_checkpoint.ModelCheckpoint");
    assertThat(new ArrayList<Object>((java.util.Set<?>) root.get("tags"))).containsExactly("a", "b");
    PyObject cfg = (PyObject) root.get("config");
    assertThat(cfg.dictItems()).containsEntry("LR", 0.5);
    assertThat(cfg.get("__immutable__")).isEqualTo(false);
    assertThat(((PyObject) root.get("history")).listItems()).containsExactly(1, 2);
    assertThat(((PyObject) root.get("when")).args()).containsExactly(1, 30, 0);
    assertThat(((PyObject) root.get("out")).args()).containsExactly("work", "dirs");
    assertThat(ckpt.stateDict().keys()).containsExactly("w");
      } finally {
      System.clearProperty("bevt4j.pickle.allowed-classes");
    }
  }

  /** {@code torch.storage._load_from_bytes}: a legacy-format storage blob inside a plain pickle. */
  @Test
  void embeddedStorageBytesAreParsedWithTheSameRestrictions() throws IOException {
    Path blobFile = TestCheckpoints.writeLegacy(
        dir.resolve("blob.bin"),
        PickleBuilder.proto2().mark().str("storage").global("torch", "FloatStorage").str("k").str("cpu").integer(4)
            .none().tuple().binPersId().stop().bytes(),
        List.of("k"), Map.of("k", floatStorage(4)), Map.of("k", 4));
    byte[] blob = java.nio.file.Files.readAllBytes(blobFile);
    PickleBuilder p = new PickleBuilder().op(0x80).op(3).emptyDict().str("w");
    p.global("torch._utils", "_rebuild_tensor_v2").mark();
    p.global("torch.storage", "_load_from_bytes").op('B').raw(PickleBuilder.le(blob.length, 4)).raw(blob).tuple1().reduce();
    p.integer(1).ints(3).ints(1).bool(false).orderedDict().tuple().reduce().setItem().stop();
    // the blob's own storage is resolved inside it; the outer legacy file has no storages
    Path legacy = TestCheckpoints.writeLegacy(dir.resolve("embedded.pth"), p.bytes(), List.of(), Map.of(), Map.of());
    StateDict sd = PyTorchCheckpoints.loadStateDict(legacy);
    assertThat(sd.get("w").toFloats()).containsExactly(storageValue(1), storageValue(2), storageValue(3));

    byte[] evilBlob = PickleBuilder.proto2().global("os", "system").mark().str("x").tuple().reduce().stop().bytes();
    PickleBuilder q = new PickleBuilder().op(0x80).op(3).emptyDict().str("w");
    q.global("torch.storage", "_load_from_bytes").op('B').raw(PickleBuilder.le(evilBlob.length, 4)).raw(evilBlob)
        .tuple1().reduce().setItem().stop();
    Path evil = TestCheckpoints.writeLegacy(dir.resolve("evil.pth"), q.bytes(), List.of(), Map.of(), Map.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PyTorchCheckpoints.read(evil))
        .isInstanceOf(DisallowedGlobalException.class)
        .hasMessageContaining(evil.toString())
        .hasMessageContaining("'os.system'");
  }

  /** More than 65535 entries force zip64 end records (as very large torch.save archives have). */
  @Test
  void zip64ArchivesAreRead() throws IOException {
    Path file = dir.resolve("many.pth");
    byte[] pickle = PickleBuilder.proto2().emptyDict().str("w")
        .tensor("FloatStorage", "0", NUMEL, 3, new long[] {2}, new long[] {1}, false).setItem().stop().bytes();
    try (var zip = new java.util.zip.ZipOutputStream(
        new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file), 1 << 20))) {
      zip.setLevel(0);
      zip.putNextEntry(new java.util.zip.ZipEntry("many/data.pkl"));
      zip.write(pickle);
      zip.putNextEntry(new java.util.zip.ZipEntry("many/data/0"));
      zip.write(floatStorage(NUMEL));
      for (int i = 0; i < 65_600; i++) {
        zip.putNextEntry(new java.util.zip.ZipEntry("many/.data/" + i));
      }
    }
    TorchCheckpoint ckpt = PyTorchCheckpoints.read(file);
    assertThat(ckpt.stateDict().get("w").toFloats()).containsExactly(storageValue(3), storageValue(4));
  }

}
