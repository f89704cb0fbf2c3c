package org.bevt4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Comparisons between the reader's object tree / tensors and the JSON of a fixture manifest. */
final class ManifestAssertions {
  private ManifestAssertions() {}

  static void assertTensor(String key, JsonObject info, TensorData got) {
    if (info.has("dtype")) {
      assertThat(got.dtype().name()).as(key + " dtype").isEqualTo(info.get("dtype").getAsString());
    }
    if (info.has("shape")) {
      assertThat(got.shape()).as(key + " shape").isEqualTo(longs(info.getAsJsonArray("shape")));
    }
    if (info.has("sha256")) {
      ByteBuffer b = got.bytes();
      byte[] raw = new byte[b.remaining()];
      b.get(raw);
      assertThat(sha256(raw)).as(key + " sha256").isEqualTo(info.get("sha256").getAsString());
    }
  }

  /** Matches a Java value of the object tree against the manifest's JSON description of it. */
  static void assertMatches(String path, JsonElement want, Object got) {
    if (want.isJsonNull()) {
      assertThat(got).as(path).isNull();
    } else if (want.isJsonPrimitive()) {
      var p = want.getAsJsonPrimitive();
      if (p.isBoolean()) {
        assertThat(got).as(path).isEqualTo(p.getAsBoolean());
      } else if (p.isString()) {
        assertThat(got).as(path).isEqualTo(p.getAsString());
      } else if (got instanceof Double || got instanceof Float) {
        assertThat(((Number) got).doubleValue()).as(path).isEqualTo(p.getAsDouble());
      } else {
        assertThat(got).as(path).isInstanceOf(Number.class);
        assertThat(new BigInteger(got.toString())).as(path).isEqualTo(p.getAsBigInteger());
      }
    } else if (want.isJsonArray()) {
      List<?> items = got instanceof Object[] t ? Arrays.asList(t) : new ArrayList<>((Collection<?>) got);
      JsonArray a = want.getAsJsonArray();
      assertThat(items).as(path).hasSize(a.size());
      for (int i = 0; i < a.size(); i++) {
        assertMatches(path + "[" + i + "]", a.get(i), items.get(i));
      }
    } else {
      JsonObject o = want.getAsJsonObject();
      if (o.has("sha256") && o.has("dtype") && o.has("shape")) {
        TorchTensor t = got instanceof TorchTensor tt ? tt : onlyTensor(path, got);
        assertTensor(path, o, t.data());
        return;
      }
      Map<?, ?> m = (Map<?, ?>) got;
      assertThat(m.keySet().stream().map(String::valueOf).toList()).as(path + " keys")
          .containsExactlyInAnyOrderElementsOf(o.keySet());
      for (Map.Entry<String, JsonElement> e : o.entrySet()) {
        assertMatches(path + "." + e.getKey(), e.getValue(), entry(m, e.getKey()));
      }
    }
  }

  static TorchTensor onlyTensor(String path, Object got) {
    List<TorchTensor> found = ((Map<?, ?>) got).values().stream()
        .filter(TorchTensor.class::isInstance).map(TorchTensor.class::cast).toList();
    assertThat(found).as(path + ": a tensor (or a dict holding one)").hasSize(1);
    return found.get(0);
  }

  static Object entry(Map<?, ?> m, String key) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (String.valueOf(e.getKey()).equals(key)) {
        return e.getValue();
      }
    }
    throw new AssertionError("no entry \"" + key + "\" among " + m.keySet());
  }

  static PyObject module(PyObject root, String path) {
    PyObject m = root;
    if (!path.isEmpty()) {
      for (String part : path.split("\\.")) {
        m = (PyObject) ((Map<?, ?>) m.get("_modules")).get(part);
      }
    }
    return m;
  }

  /** Distinct storage records referenced anywhere in the tree. */
  static Set<String> storages(Object root) {
    Set<String> keys = new LinkedHashSet<>();
    Map<Object, Boolean> seen = new IdentityHashMap<>();
    List<Object> todo = new ArrayList<>(List.of(root));
    while (!todo.isEmpty()) {
      Object o = todo.remove(todo.size() - 1);
      if (o == null || seen.put(o, true) != null) {
        continue;
      }
      if (o instanceof TorchTensor t) {
        keys.add(t.storage().recordKey());
      } else if (o instanceof Map<?, ?> m) {
        todo.addAll(m.keySet());
        todo.addAll(m.values());
      } else if (o instanceof Collection<?> c) {
        todo.addAll(c);
      } else if (o instanceof Object[] a) {
        todo.addAll(Arrays.asList(a));
      } else if (o instanceof PyObject p) {
        todo.addAll(p.state().values());
        todo.addAll(p.args());
      }
    }
    return keys;
  }

  static List<String> hexElements(TensorData t) {
    ByteBuffer b = t.bytes();
    int es = t.dtype().bytes();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < t.numel(); i++) {
      long v = switch (es) {
        case 1 -> b.get(i) & 0xffL;
        case 2 -> b.getShort(i * 2) & 0xffffL;
        case 4 -> b.getInt(i * 4) & 0xffffffffL;
        default -> b.getLong(i * 8);
      };
      out.add(String.format(Locale.ROOT, "%0" + (2 * es) + "x", v));
    }
    return out;
  }

  static long[] longs(JsonArray a) {
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsLong();
    }
    return out;
  }

  static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    a.forEach(e -> out.add(e.getAsString()));
    return out;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
