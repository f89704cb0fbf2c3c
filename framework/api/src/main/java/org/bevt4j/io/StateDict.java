package org.bevt4j.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An ordered, immutable map of tensor names to {@link TensorData}, with the prefix rules used when
 * moving weights between upstream checkpoints and bevt4j modules. Every transformation returns a new
 * view; tensors are shared, not copied.
 */
public final class StateDict {
  private final Map<String, TensorData> tensors;
  private final String source;
  private final Map<String, String> metadata;

  public StateDict(Map<String, TensorData> tensors, String source, Map<String, String> metadata) {
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.source = source == null ? "<memory>" : source;
    this.metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  public StateDict(Map<String, TensorData> tensors, String source) {
    this(tensors, source, Map.of());
  }

  /**
   * Loads weights from any supported file: {@code .safetensors}, or a PyTorch checkpoint
   * ({@code .pth .pt .pyth .pkl .ckpt .bin}) through the restricted unpickler.
   */
  public static StateDict load(Path file) {
    return WeightFiles.load(file);
  }

  /** Where the tensors came from (a file path, for error messages). */
  public String source() {
    return source;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  public Map<String, TensorData> tensors() {
    return tensors;
  }

  public Set<String> keys() {
    return tensors.keySet();
  }

  public int size() {
    return tensors.size();
  }

  public boolean contains(String key) {
    return tensors.containsKey(key);
  }

  public Optional<TensorData> find(String key) {
    return Optional.ofNullable(tensors.get(key));
  }

  /** The tensor, or an error naming the key, the source and near keys. */
  public TensorData get(String key) {
    TensorData t = tensors.get(key);
    if (t == null) {
      throw new IllegalArgumentException(
          source + ": no tensor \"" + key + "\"" + Names.didYouMean(key, tensors.keySet()));
    }
    return t;
  }

  /** Keeps the keys starting with {@code prefix}, with the prefix removed. */
  public StateDict select(String prefix) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    tensors.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return new StateDict(out, source, metadata);
  }

  /** Removes any of the given prefixes from each key, repeatedly (BEVT strips module., backbone., encoder.). */
  public StateDict stripPrefixes(String... prefixes) {
    return rename(
        k -> {
          boolean changed = true;
          String key = k;
          while (changed) {
            changed = false;
            for (String p : prefixes) {
              if (key.startsWith(p)) {
                key = key.substring(p.length());
                changed = true;
              }
            }
          }
          return key;
        });
  }

  /** Keeps only keys matching the predicate. */
  public StateDict filter(Predicate<String> keep) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    tensors.forEach(
        (k, v) -> {
          if (keep.test(k)) {
            out.put(k, v);
          }
        });
    return new StateDict(out, source, metadata);
  }

  /** Drops keys matching the predicate. */
  public StateDict without(Predicate<String> drop) {
    return filter(drop.negate());
  }

  /** Renames every key; a function returning null drops the key; two keys mapping to one name is an error. */
  public StateDict rename(Function<String, String> renamer) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    Map<String, String> from = new LinkedHashMap<>();
    tensors.forEach(
        (k, v) -> {
          String n = renamer.apply(k);
          if (n == null) {
            return;
          }
          String prev = from.put(n, k);
          if (prev != null) {
            throw new IllegalArgumentException(
                source + ": keys \"" + prev + "\" and \"" + k + "\" both map to \"" + n + "\"");
          }
          out.put(n, v);
        });
    return new StateDict(out, source, metadata);
  }

  /** Adds or replaces entries. */
  public StateDict with(Map<String, TensorData> more) {
    Map<String, TensorData> out = new LinkedHashMap<>(tensors);
    out.putAll(more);
    return new StateDict(out, source, metadata);
  }

  /** Keys sorted as listed, for reports. */
  public List<String> sortedKeys() {
    List<String> k = new ArrayList<>(tensors.keySet());
    Collections.sort(k);
    return k;
  }

  @Override
  public String toString() {
    return "StateDict(" + tensors.size() + " tensors from " + source + ")";
  }
}
