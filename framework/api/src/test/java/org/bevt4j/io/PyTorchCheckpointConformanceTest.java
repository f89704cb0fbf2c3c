package org.bevt4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.bevt4j.io.ManifestAssertions.assertMatches;
import static org.bevt4j.io.ManifestAssertions.assertTensor;
import static org.bevt4j.io.ManifestAssertions.entry;
import static org.bevt4j.io.ManifestAssertions.hexElements;
import static org.bevt4j.io.ManifestAssertions.longs;
import static org.bevt4j.io.ManifestAssertions.module;
import static org.bevt4j.io.ManifestAssertions.sha256;
import static org.bevt4j.io.ManifestAssertions.storages;
import static org.bevt4j.io.ManifestAssertions.strings;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Module;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance of the checkpoint and safetensors readers with the checkpoint fixtures, driven
 * entirely by {@code manifest.json} in {@code bevt4j.checkpoints.dir}: one dynamic test per listed
 * file, checking whatever the manifest states about it (format, globals, values, tensors bit for
 * bit against the reference safetensors, storage layouts, refusals and their markers, truncation,
 * wrong shapes, F16/BF16 widening). Nothing here names a fixture file or a key.
 */
class PyTorchCheckpointConformanceTest {
  @TempDir Path tmp;

  static Path checkpointsDir() {
    String prop = System.getProperty("bevt4j.checkpoints.dir");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path c = p.resolve("fixtures/checkpoints");
      if (Files.isRegularFile(c.resolve("manifest.json"))) {
        return c;
      }
    }
    throw new IllegalStateException("no fixtures/checkpoints/manifest.json above " + Path.of("").toAbsolutePath());
  }

  @TestFactory
  Stream<DynamicTest> everyFileInTheManifest() throws IOException {
    Path dir = checkpointsDir();
    JsonObject manifest = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject();
    JsonObject files = manifest.getAsJsonObject("files");
    assertThat(files.size()).as("files listed in the manifest").isPositive();
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, JsonElement> e : files.entrySet()) {
      JsonObject f = e.getValue().getAsJsonObject();
      String expect = f.get("expect").getAsString();
      tests.add(DynamicTest.dynamicTest(e.getKey() + " [" + expect + "]", () -> check(dir, e.getKey(), f)));
    }
    return tests.stream();
  }

  private void check(Path dir, String name, JsonObject f) throws Exception {
    Path file = dir.resolve(name);
    assertThat(file).isRegularFile();
    if (f.has("bytes")) {
      assertThat(Files.size(file)).as("size of " + name).isEqualTo(f.get("bytes").getAsLong());
    }
    if (f.has("sha256")) {
      assertThat(sha256(Files.readAllBytes(file))).as("sha256 of " + name).isEqualTo(f.get("sha256").getAsString());
    }
    String expect = f.get("expect").getAsString();
    String format = f.has("format") ? f.get("format").getAsString() : "";
    if (expect.equals("load")) {
      if (format.equals("safetensors")) {
        checkSafetensors(dir, file, f);
      } else {
        checkCheckpoint(dir, file, f);
      }
    } else if (f.has("disallowed_global")) {
      checkRefusedGlobal(file, f);
    } else if (f.has("bad_key")) {
      checkWrongShape(dir, file, f);
    } else if (expect.startsWith("refuse")) {
      checkUnreadable(file, f);
    } else {
      fail(name + ": unknown expectation " + expect);
    }
  }

  // ---------------------------------------------------------------- loadable checkpoints

  private void checkCheckpoint(Path dir, Path file, JsonObject f) throws Exception {
    TorchCheckpoint ckpt = PyTorchCheckpoints.read(file);
    String format = f.get("format").getAsString();
    if (format.startsWith("torch-")) {
      assertThat(ckpt.format().label()).isEqualTo(format);
    }
    if (f.has("zip_prefix")) {
      assertThat(ckpt.archivePrefix()).isEqualTo(f.get("zip_prefix").getAsString());
    }
    if (f.has("pickle_globals")) {
      List<String> want = new ArrayList<>();
      f.getAsJsonArray("pickle_globals").forEach(g -> want.add(g.getAsString().replace(' ', '.')));
      assertThat(ckpt.globals().stream().map(PickleGlobal::qualifiedName).toList())
          .containsExactlyInAnyOrderElementsOf(want);
    }
    Object root = ckpt.root();
    if (f.has("top_level_keys")) {
      assertThat(root).isInstanceOf(Map.class);
      List<String> want = new ArrayList<>();
      f.getAsJsonArray("top_level_keys").forEach(k -> want.add(k.getAsString()));
      assertThat(((Map<?, ?>) root).keySet().stream().map(String::valueOf).toList())
          .containsExactlyInAnyOrderElementsOf(want);
    }
    if (f.has("values")) {
      for (Map.Entry<String, JsonElement> v : f.getAsJsonObject("values").entrySet()) {
        assertMatches(v.getKey(), v.getValue(), entry((Map<?, ?>) root, v.getKey()));
      }
    }
    if (f.has("root_class")) {
      assertThat(((PyObject) root).className()).isEqualTo(f.get("root_class").getAsString());
    }
    if (f.has("root_attributes")) {
      for (Map.Entry<String, JsonElement> a : f.getAsJsonObject("root_attributes").entrySet()) {
        assertMatches("root." + a.getKey(), a.getValue(), ((PyObject) root).get(a.getKey()));
      }
    }
    if (f.has("module_classes")) {
      for (Map.Entry<String, JsonElement> m : f.getAsJsonObject("module_classes").entrySet()) {
        assertThat(module((PyObject) root, m.getKey()).className()).as("class of module '" + m.getKey() + "'")
            .isEqualTo(m.getValue().getAsString());
      }
    }
    StateDict sd = ckpt.stateDict();
    assertThat(StateDict.load(file).keys()).containsExactlyElementsOf(sd.keys());
    JsonObject dicts = f.has("tensor_dicts") ? f.getAsJsonObject("tensor_dicts") : new JsonObject();
    Set<String> expectedKeys = new LinkedHashSet<>();
    for (Map.Entry<String, JsonElement> d : dicts.entrySet()) {
      expectedKeys.addAll(checkTensorDict(dir, root, sd, d.getKey(), d.getValue().getAsJsonObject()));
    }
    if (dicts.size() == 1) {
      assertThat(sd.keys()).as("the state dict holds exactly the model tensors").containsExactlyInAnyOrderElementsOf(
          expectedKeys);
    }
    if (f.has("storage_count") || dicts.entrySet().stream().anyMatch(d -> d.getValue().getAsJsonObject().has("storage_count"))) {
      int want = f.has("storage_count") ? f.get("storage_count").getAsInt()
          : dicts.entrySet().iterator().next().getValue().getAsJsonObject().get("storage_count").getAsInt();
      assertThat(storages(root)).as("distinct storages in the file").hasSize(want);
    }
    checkConversion(file, sd);
  }

  /** Checks one {@code tensor_dicts} entry; returns its keys. */
  private Set<String> checkTensorDict(Path dir, Object root, StateDict sd, String where, JsonObject td) {
    StateDict source = SafeTensors.read(dir.resolve(td.get("source").getAsString()));
    Object container = path(root, where);
    StateDictLocator.Located located = StateDictLocator.locate(root);
    if (td.has("has_metadata_attribute")) {
      boolean has = container instanceof PyOrderedDict od && od.attributes().containsKey("_metadata");
      assertThat(has).as(where + " has _metadata").isEqualTo(td.get("has_metadata_attribute").getAsBoolean());
    }
    Set<String> keys = new LinkedHashSet<>();
    for (Map.Entry<String, JsonElement> t : td.getAsJsonObject("tensors").entrySet()) {
      String key = t.getKey();
      JsonObject info = t.getValue().getAsJsonObject();
      keys.add(key);
      TorchTensor raw = container instanceof Map<?, ?> cm && cm.get(key) instanceof TorchTensor tt ? tt
          : located.tensors().get(key);
      assertThat(raw).as(key + " in the object tree").isNotNull();
      TensorData got = raw.data();
      assertTensor(key, info, got);
      String prefix = td.has("prefix") ? td.get("prefix").getAsString() : "";
      String sourceKey = info.has("source_key") ? info.get("source_key").getAsString()
          : key.startsWith(prefix) && source.contains(key.substring(prefix.length())) ? key.substring(prefix.length())
          : null;
      if (sourceKey != null) {
        TensorData ref = source.get(sourceKey);
        assertThat(got.bitEquals(ref)).as(key + " equals reference " + sourceKey + " bit for bit").isTrue();
        assertThat(sd.get(key).bitEquals(ref)).as("state dict " + key).isTrue();
      } else {
        assertTensor(key, info, sd.get(key));
      }
      if (info.has("storage")) {
        JsonObject s = info.getAsJsonObject("storage");
        assertThat(raw.storage().key()).as(key + " storage key").isEqualTo(s.get("key").getAsString());
        assertThat(raw.storage().numel()).as(key + " storage numel").isEqualTo(s.get("numel").getAsLong());
        assertThat(raw.storageOffset()).as(key + " offset").isEqualTo(s.get("offset").getAsLong());
        assertThat(raw.stride()).as(key + " stride").isEqualTo(longs(s.getAsJsonArray("stride")));
        assertThat(s.get("type").getAsString()).startsWith(storageName(raw.dtype()));
      }
    }
    if (td.has("extra")) {
      for (Map.Entry<String, JsonElement> t : td.getAsJsonObject("extra").entrySet()) {
        keys.add(t.getKey());
        JsonObject info = t.getValue().getAsJsonObject();
        TensorData got = sd.get(t.getKey());
        assertTensor(t.getKey(), info, got);
        if (info.has("value")) {
          if (got.dtype().isFloating()) {
            assertThat((double) got.toFloats()[0]).isEqualTo(info.get("value").getAsDouble());
          } else {
            assertThat(got.toLongs()[0]).as(t.getKey()).isEqualTo(info.get("value").getAsLong());
          }
        }
      }
    }
    return keys;
  }

  /** The value at a key of the root dict, or along a dotted path of dict keys; null if absent. */
  private static Object path(Object root, String where) {
    if (root instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (String.valueOf(e.getKey()).equals(where)) {
          return e.getValue();
        }
      }
      int dot = where.indexOf('.');
      if (dot > 0) {
        Object first = path(root, where.substring(0, dot));
        return first == null ? null : path(first, where.substring(dot + 1));
      }
    }
    return null;
  }

  private static String storageName(DType d) {
    return switch (d) {
      case F32 -> "Float";
      case F64 -> "Double";
      case F16 -> "Half";
      case BF16 -> "BFloat16";
      case I64 -> "Long";
      case I32 -> "Int";
      case I16 -> "Short";
      case I8 -> "Char";
      case U8 -> "Byte";
      case BOOL -> "Bool";
    };
  }

  /** The converter writes exactly the loaded tensors (widened), with the source recorded. */
  private void checkConversion(Path file, StateDict sd) {
    Path out = tmp.resolve(file.getFileName() + ".safetensors");
    ConversionSummary s = CheckpointConverter.convert(file, out, ConversionOptions.defaults());
    StateDict back = SafeTensors.read(out);
    assertThat(s.tensors()).isEqualTo(sd.size());
    assertThat(back.keys()).containsExactlyElementsOf(sd.keys());
    assertThat(back.metadata()).containsEntry("source_file", file.getFileName().toString());
    sd.tensors().forEach((k, t) -> {
      TensorData want = t.dtype() == DType.F16 || t.dtype() == DType.BF16 ? TensorData.ofFloats(t.toFloats(), t.shape()) : t;
      assertThat(back.get(k).bitEquals(want)).as("converted " + k).isTrue();
    });
  }

  // ---------------------------------------------------------------- safetensors

  private void checkSafetensors(Path dir, Path file, JsonObject f) throws Exception {
    StateDict sd = StateDict.load(file);
    if (f.has("metadata")) {
      f.getAsJsonObject("metadata").entrySet().forEach(m -> assertThat(sd.metadata())
          .containsEntry(m.getKey(), m.getValue().getAsString()));
    }
    if (f.has("tensors")) {
      for (Map.Entry<String, JsonElement> t : f.getAsJsonObject("tensors").entrySet()) {
        JsonObject info = t.getValue().getAsJsonObject();
        TensorData got = sd.get(t.getKey());
        assertTensor(t.getKey(), info, got);
        if (info.has("bits")) {
          assertThat(hexElements(got)).as(t.getKey() + " stored bits").containsExactlyElementsOf(strings(info.getAsJsonArray("bits")));
        }
        if (info.has("values")) {
          List<String> vals = Arrays.stream(got.toLongs()).mapToObj(Long::toString).toList();
          assertThat(vals).as(t.getKey() + " values").containsExactlyElementsOf(strings(info.getAsJsonArray("values")));
        }
        if (info.has("expected_f32_bits")) {
          List<String> bits = new ArrayList<>();
          for (float v : got.toFloats()) {
            bits.add(String.format(Locale.ROOT, "%08x", Float.floatToRawIntBits(v)));
          }
          assertThat(bits).as(t.getKey() + " widened bits").containsExactlyElementsOf(strings(info.getAsJsonArray("expected_f32_bits")));
        }
      }
    }
    if (f.has("expected_file")) {
      StateDict expected = SafeTensors.read(dir.resolve(f.get("expected_file").getAsString()));
      assertThat(sd.keys()).containsExactlyInAnyOrderElementsOf(expected.keys());
      try (NDManager m = NDManager.newBaseManager()) {
        for (Map.Entry<String, TensorData> e : expected.tensors().entrySet()) {
          TensorData got = sd.get(e.getKey());
          TensorData widened = got.dtype().isFloating() ? TensorData.ofFloats(got.toFloats(), got.shape()) : got;
          assertThat(widened.bitEquals(e.getValue())).as(e.getKey() + " widens to the expected tensor").isTrue();
          NDArray a = got.dtype().isFloating() ? got.toFloat32(m) : got.toNDArray(m);
          assertThat(TensorData.of(a).bitEquals(e.getValue())).as(e.getKey() + " through DJL").isTrue();
        }
      }
      Path out = tmp.resolve(file.getFileName() + ".converted.safetensors");
      CheckpointConverter.convert(file, out, ConversionOptions.defaults());
      StateDict converted = SafeTensors.read(out);
      expected.tensors().forEach((k, t) -> assertThat(converted.get(k).bitEquals(t)).as("converted " + k).isTrue());
    }
  }

  // ---------------------------------------------------------------- refusals

  private void checkRefusedGlobal(Path file, JsonObject f) throws IOException {
    Path marker = f.has("must_not_create") ? Path.of(f.get("must_not_create").getAsString()) : null;
    boolean existed = marker != null && Files.exists(marker);
    FileTime before = existed ? Files.getLastModifiedTime(marker) : null;
    String global = f.get("disallowed_global").getAsString();
    List<String> names = f.has("error_must_name") ? strings(f.getAsJsonArray("error_must_name")) : List.of(global);
    for (Runnable load : List.<Runnable>of(() -> StateDict.load(file), () -> PyTorchCheckpoints.read(file))) {
      assertThatThrownBy(load::run)
          .isInstanceOfSatisfying(DisallowedGlobalException.class, e -> assertThat(e.global()).isEqualTo(global))
          .hasMessageContaining(file.getFileName().toString())
          .hasMessageContaining(global)
          .satisfies(e -> names.forEach(n -> assertThat(e.getMessage()).contains(n)));
    }
    if (marker != null) {
      if (existed) {
        assertThat(Files.getLastModifiedTime(marker)).as(marker + " untouched").isEqualTo(before);
      } else {
        assertThat(marker).as("the payload's marker").doesNotExist();
      }
    }
  }

  private void checkUnreadable(Path file, JsonObject f) {
    String kind = f.has("error_kind") ? f.get("error_kind").getAsString().toLowerCase(Locale.ROOT) : "";
    assertThatThrownBy(() -> StateDict.load(file))
        .isInstanceOf(WeightFileException.class)
        .isNotInstanceOf(DisallowedGlobalException.class)
        .hasMessageContaining(file.getFileName().toString())
        .satisfies(e -> {
          String msg = e.getMessage().toLowerCase(Locale.ROOT);
          if (kind.contains("truncated") || kind.contains("corrupt")) {
            assertThat(msg).containsAnyOf("truncated", "corrupt");
            assertThat(msg).as("no fallback to the legacy format").doesNotContain("legacy");
          }
        });
  }

  /** A module whose parameters have the shapes of a reference weights file (the model's expectation). */
  static final class ShapesModule extends Module {
    ShapesModule(StateDict reference) {
      reference.tensors().forEach((k, t) -> param(k, new Shape(t.shape()), Init.zeros()));
    }
  }

  private void checkWrongShape(Path dir, Path file, JsonObject f) {
    StateDict reference = SafeTensors.read(dir.resolve(f.get("source").getAsString()));
    StateDict sd = StateDict.load(file);
    String key = f.get("bad_key").getAsString();
    long[] expected = longs(f.getAsJsonArray("expected_shape"));
    long[] found = longs(f.getAsJsonArray("found_shape"));
    assertThat(reference.get(key).shape()).isEqualTo(expected);
    assertThat(sd.get(key).shape()).isEqualTo(found);
    try (NDManager m = NDManager.newBaseManager()) {
      ShapesModule model = new ShapesModule(reference);
      model.initialize(m);
      assertThatThrownBy(() -> StateDictBinder.bindStrict(model, sd))
          .isInstanceOf(WeightFileException.class)
          .hasMessageContaining(file.getFileName().toString())
          .hasMessageContaining(key + ": expected " + Arrays.toString(expected) + ", found " + Arrays.toString(found));
      if (f.has("error_must_name")) {
        strings(f.getAsJsonArray("error_must_name"))
            .forEach(n -> assertThatThrownBy(() -> StateDictBinder.bindStrict(model, sd)).hasMessageContaining(n));
      }
    }
  }
}
