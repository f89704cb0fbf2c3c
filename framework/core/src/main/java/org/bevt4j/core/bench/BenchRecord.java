package org.bevt4j.core.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One benchmark result: median step time, analytic work per step, the achieved rate and how it
 * compares with the dense-matmul rate of the same libtorch on the same device ({@link MatmulRate}).
 *
 * <p>JSON keys: {@code name, step_ms, gflop_per_step, achieved_gflops, matmul_gflops, ratio} then
 * the extras (e.g. {@code clips_per_s, images_per_s, forward_ms, backward_ms, optimizer_ms}).
 * Unknown values are NaN in Java and {@code null} in JSON.
 *
 * @param name what was measured
 * @param stepMs median step time in ms
 * @param gflopPerStep analytic GFLOP per step (NaN if not applicable)
 * @param achievedGflops {@code gflopPerStep / (stepMs / 1000)}
 * @param matmulGflops the device's dense fp32 matmul GFLOP/s (NaN if not measured)
 * @param ratio {@code achievedGflops / matmulGflops}
 * @param extras further named figures, in insertion order
 */
public record BenchRecord(
    String name, double stepMs, double gflopPerStep, double achievedGflops, double matmulGflops,
    double ratio, Map<String, Double> extras) {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
  private static final List<String> CORE_KEYS =
      List.of("name", "step_ms", "gflop_per_step", "achieved_gflops", "matmul_gflops", "ratio");

  /** Validates the name and copies the extras. */
  public BenchRecord {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("benchmark name must not be blank");
    }
    extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras == null ? Map.of() : extras));
    for (String k : extras.keySet()) {
      if (CORE_KEYS.contains(k)) {
        throw new IllegalArgumentException("extra '" + k + "' clashes with a core field");
      }
    }
  }

  /** Derives achieved GFLOP/s and the ratio from the step time, the work and the matmul rate. */
  public static BenchRecord of(String name, double stepMs, double gflopPerStep, double matmulGflops) {
    double achieved = gflopPerStep / (stepMs / 1000.0);
    return new BenchRecord(
        name, stepMs, gflopPerStep, achieved, matmulGflops, achieved / matmulGflops, Map.of());
  }

  /** A copy with one more extra figure (replacing one of the same key). */
  public BenchRecord withExtra(String key, double value) {
    Map<String, Double> e = new LinkedHashMap<>(extras);
    e.put(key, value);
    return new BenchRecord(name, stepMs, gflopPerStep, achievedGflops, matmulGflops, ratio, e);
  }

  /** This record as a JSON object (non-finite numbers become null). */
  public JsonObject toJsonObject() {
    JsonObject o = new JsonObject();
    o.addProperty("name", name);
    o.add("step_ms", num(stepMs));
    o.add("gflop_per_step", num(gflopPerStep));
    o.add("achieved_gflops", num(achievedGflops));
    o.add("matmul_gflops", num(matmulGflops));
    o.add("ratio", num(ratio));
    extras.forEach((k, v) -> o.add(k, num(v)));
    return o;
  }

  /** Pretty-printed JSON of this record. */
  public String toJson() {
    return GSON.toJson(toJsonObject());
  }

  /** Pretty-printed JSON array of {@code records}. */
  public static String toJson(List<BenchRecord> records) {
    JsonArray a = new JsonArray();
    records.forEach(r -> a.add(r.toJsonObject()));
    return GSON.toJson(a);
  }

  /** Parses one record written by {@link #toJson()} (unknown keys become extras). */
  public static BenchRecord fromJson(String json) {
    return fromJsonObject(JsonParser.parseString(json).getAsJsonObject());
  }

  /** Parses an array written by {@link #toJson(List)}. */
  public static List<BenchRecord> listFromJson(String json) {
    return JsonParser.parseString(json).getAsJsonArray().asList().stream()
        .map(e -> fromJsonObject(e.getAsJsonObject())).toList();
  }

  private static BenchRecord fromJsonObject(JsonObject o) {
    if (!o.has("name") || o.get("name").isJsonNull()) {
      throw new IllegalArgumentException("benchmark record without 'name': " + o);
    }
    Map<String, Double> extras = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : o.entrySet()) {
      if (!CORE_KEYS.contains(e.getKey())) {
        extras.put(e.getKey(), val(e.getValue()));
      }
    }
    return new BenchRecord(o.get("name").getAsString(), val(o.get("step_ms")),
        val(o.get("gflop_per_step")), val(o.get("achieved_gflops")), val(o.get("matmul_gflops")),
        val(o.get("ratio")), extras);
  }

  private static JsonElement num(double v) {
    return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
  }

  private static double val(JsonElement e) {
    return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
  }
}
