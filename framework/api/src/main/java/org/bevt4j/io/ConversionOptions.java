package org.bevt4j.io;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What {@link CheckpointConverter} keeps, renames and casts. Rules apply in this order: select,
 * drop, strip, rename, cast.
 *
 * @param select key prefixes to keep (a key is kept when it starts with any of them; empty keeps all).
 *     Selecting does not remove the prefix; add it to {@code strip} for that
 * @param drop key patterns to drop: {@code *} matches any characters; a pattern without {@code *}
 *     matches the whole key or its dotted tail (so {@code relative_position_index} drops
 *     {@code layers.0.blocks.0.attn.relative_position_index})
 * @param dropIndexBuffers also drop the buffers bevt4j recomputes: {@link #INDEX_BUFFERS}
 * @param strip prefixes removed from the start of each key, repeatedly, in any order (like BEVT's
 *     {@code module.}, {@code backbone.}, {@code encoder.} stripping)
 * @param renames prefix renames {@code from -> to}; the first rule whose {@code from} starts the key applies
 * @param cast whether to keep dtypes or widen F16/BF16 to F32 (the default: DJL cannot hold BF16)
 */
public record ConversionOptions(
    List<String> select,
    List<String> drop,
    boolean dropIndexBuffers,
    List<String> strip,
    List<Rename> renames,
    Cast cast) {

  /** Buffers that bevt4j recomputes and {@code dropIndexBuffers} removes. */
  public static final List<String> INDEX_BUFFERS = List.of("relative_position_index", "num_batches_tracked", "attn_mask");

  /** dtype handling. */
  public enum Cast {
    /** Keep every tensor's stored dtype. */
    KEEP,
    /** Widen F16 and BF16 to F32 exactly; other dtypes are kept. */
    F32;

    /** Parses {@code keep} or {@code f32} (case-insensitive). */
    public static Cast parse(String s) {
      String v = s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
      return switch (v) {
        case "KEEP" -> KEEP;
        case "F32", "FLOAT32" -> F32;
        default -> throw new IllegalArgumentException("cast \"" + s + "\" is not one of keep, f32");
      };
    }
  }

  /** A prefix rename. */
  public record Rename(String from, String to) {
    public Rename {
      Objects.requireNonNull(from, "rename from");
      Objects.requireNonNull(to, "rename to");
      if (from.isEmpty()) {
        throw new IllegalArgumentException("rename \"=" + to + "\": the prefix to rename must not be empty");
      }
    }

    /** Parses {@code from=to} ({@code to} may be empty, which strips {@code from}). */
    public static Rename parse(String spec) {
      int eq = spec == null ? -1 : spec.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("rename \"" + spec + "\" must have the form from=to (e.g. norm.=fc_norm.)");
      }
      return new Rename(spec.substring(0, eq), spec.substring(eq + 1));
    }
  }

  public ConversionOptions {
    select = checked("select", select);
    drop = checked("drop", drop);
    strip = checked("strip", strip);
    renames = renames == null ? List.of() : List.copyOf(renames);
    cast = cast == null ? Cast.F32 : cast;
  }

  private static List<String> checked(String what, List<String> values) {
    if (values == null) {
      return List.of();
    }
    for (String v : values) {
      if (v == null || v.isEmpty()) {
        throw new IllegalArgumentException(what + " " + values + ": entries must be non-empty");
      }
    }
    return List.copyOf(values);
  }

  /** Everything kept, F16/BF16 widened to F32. */
  public static ConversionOptions defaults() {
    return new ConversionOptions(List.of(), List.of(), false, List.of(), List.of(), Cast.F32);
  }

  /** Whether a key is removed by {@code drop} / {@code dropIndexBuffers}. */
  public boolean drops(String key) {
    for (String p : drop) {
      if (matches(p, key)) {
        return true;
      }
    }
    if (dropIndexBuffers) {
      for (String p : INDEX_BUFFERS) {
        if (matches(p, key)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean matches(String pattern, String key) {
    if (pattern.contains("*")) {
      String regex =
          Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
      return Pattern.matches(regex, key);
    }
    return key.equals(pattern) || key.endsWith("." + pattern);
  }
}
