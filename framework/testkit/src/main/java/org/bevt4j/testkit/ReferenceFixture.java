package org.bevt4j.testkit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDict;

/**
 * One reference fixture directory ({@code config.json}, {@code weights.safetensors},
 * {@code case_*.safetensors}) as produced by the upstream PyTorch implementations. Nothing about a
 * particular fixture's shapes or seed is assumed: everything comes from {@code config.json}.
 */
public final class ReferenceFixture {
  /** System property naming the fixture root; defaults to the in-repo copy. */
  public static final String ROOT_PROPERTY = "bevt4j.fixtures.dir";

  private final Path dir;
  private final JsonObject config;

  private ReferenceFixture(Path dir) {
    this.dir = dir;
    try {
      this.config = JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot read config.json", e);
    }
  }

  /** The fixture root: {@code -Dbevt4j.fixtures.dir} or {@code <repo>/fixtures/reference}. */
  public static Path root() {
    String p = System.getProperty(ROOT_PROPERTY);
    if (p != null && !p.isBlank()) {
      return Paths.get(p);
    }
    Path here = Paths.get("").toAbsolutePath();
    for (Path d = here; d != null; d = d.getParent()) {
      Path c = d.resolve("fixtures").resolve("reference");
      if (Files.isDirectory(c)) {
        return c;
      }
    }
    throw new IllegalStateException("no fixtures/reference found above " + here + "; set -D" + ROOT_PROPERTY);
  }

  /** The fixture folder {@code name} under the root. */
  public static ReferenceFixture open(String name) {
    return new ReferenceFixture(root().resolve(name));
  }

  public static ReferenceFixture at(Path dir) {
    return new ReferenceFixture(dir);
  }

  public Path dir() {
    return dir;
  }

  /** The whole config.json. */
  public JsonObject config() {
    return config;
  }

  /** {@code constructor_config}: upstream constructor argument names and values. */
  public JsonObject constructorConfig() {
    return config.getAsJsonObject("constructor_config");
  }

  /** The constructor config with a case's {@code constructor_overrides} applied. */
  public JsonObject constructorConfig(Case c) {
    JsonObject base = constructorConfig().deepCopy();
    if (c.raw.has("constructor_overrides")) {
      for (var e : c.raw.getAsJsonObject("constructor_overrides").entrySet()) {
        base.add(e.getKey(), e.getValue());
      }
    }
    return base;
  }

  public StateDict weights() {
    return SafeTensors.read(dir.resolve("weights.safetensors"));
  }

  /** The cases listed in config.json. */
  public List<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (JsonElement e : config.getAsJsonArray("cases")) {
      out.add(new Case(this, e.getAsJsonObject()));
    }
    return out;
  }

  /** Fixture directories under the root whose config.json names the given model. */
  public static List<ReferenceFixture> allFor(String model) {
    List<ReferenceFixture> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root())) {
      for (Path d : s.sorted().toList()) {
        if (Files.isRegularFile(d.resolve("config.json"))) {
          ReferenceFixture f = new ReferenceFixture(d);
          if (f.config.has("model") && f.config.get("model").getAsString().equals(model)) {
            out.add(f);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public String toString() {
    return dir.getFileName().toString();
  }

  /** One case: inputs, outputs and intermediates in {@code case_<name>.safetensors}. */
  public static final class Case {
    private final ReferenceFixture fixture;
    private final JsonObject raw;

    Case(ReferenceFixture fixture, JsonObject raw) {
      this.fixture = fixture;
      this.raw = raw;
    }

    public String name() {
      return raw.get("case").getAsString();
    }

    public JsonObject raw() {
      return raw;
    }

    /** The case tensors ({@code in.*}, {@code out.*}, {@code mid.*}). */
    public StateDict tensors() {
      return SafeTensors.read(fixture.dir.resolve("case_" + name() + ".safetensors"));
    }

    /** Names of the {@code out.*} tensors listed in config.json. */
    public List<String> outputs() {
      return new ArrayList<>(raw.getAsJsonObject("outputs").keySet());
    }

    /** Names of the {@code in.*} tensors listed in config.json. */
    public List<String> inputs() {
      return new ArrayList<>(raw.getAsJsonObject("inputs").keySet());
    }

    /** {@code weights_keys_unused}: weight keys this case's model does not have. */
    public Set<String> unusedWeightKeys() {
      Set<String> out = new HashSet<>();
      if (raw.has("weights_keys_unused")) {
        raw.getAsJsonArray("weights_keys_unused").forEach(e -> out.add(e.getAsString()));
      }
      return out;
    }

    @Override
    public String toString() {
      return fixture + "/" + name();
    }
  }
}
