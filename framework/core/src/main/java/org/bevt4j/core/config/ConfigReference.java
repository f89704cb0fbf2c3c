package org.bevt4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration reference generated from {@code reference.conf} files and their comments
 * (Typesafe Config keeps the comments above a value in {@code ConfigOrigin.comments()}): one row
 * per key with its default and description, rendered as Markdown ({@code docs/configuration.md}).
 *
 * <p>Which comment describes a key:
 *
 * <ol>
 *   <li>the comment lines directly above it;
 *   <li>otherwise, for keys written on one line ({@code color-jitter { brightness = 0.4, hue = 0 }},
 *       {@code loss-weights { image = 1.0, video = 1.0 }}), the comment above that line;
 *   <li>otherwise the comment of the nearest enclosing block that has one, marked as such: {@code
 *       (block `optimizer`) AdamW, decoupled weight decay ...} on the first such key, {@code (block
 *       `optimizer`, see `<first key>`)} on the others.
 * </ol>
 *
 * A comment never silently covers the sibling keys below it: a key outside any commented block
 * needs its own comment.
 *
 * Keys are listed in file order; an empty object ({@code {}}) is one row (it accepts any keys).
 */
public final class ConfigReference {
  private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise().setJson(false);

  private ConfigReference() {}

  /**
   * One documented key.
   *
   * @param key the full dotted path
   * @param defaultValue the default, rendered as HOCON ({@code null}, substitutions kept)
   * @param description the comment text, "" when there is none
   * @param line the line in the source file
   */
  public record Entry(String key, String defaultValue, String description, int line) {}

  /**
   * The keys of one {@code reference.conf}.
   *
   * @param title the section heading (e.g. "Core", "Plugin video-swin")
   * @param source where the file lives, shown under the heading (e.g. a repository path)
   * @param entries the keys in file order
   */
  public record Section(String title, String source, List<Entry> entries) {
    public Section {
      entries = List.copyOf(entries);
    }

    /** The keys without a description. */
    public List<String> undocumented() {
      return entries.stream().filter(e -> e.description().isBlank()).map(Entry::key).toList();
    }
  }

  /** Reads a {@code reference.conf} file with its comments. */
  public static Section read(String title, String source, Path file) {
    Config parsed = parse(() -> ConfigFactory.parseFile(file.toFile(), options()), file.toString());
    try {
      return read(title, source, parsed, Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a {@code reference.conf} resource with its comments. */
  public static Section read(String title, String source, URL url) {
    Config parsed = parse(() -> ConfigFactory.parseURL(url, options()), url.toString());
    try (InputStream in = url.openStream()) {
      return read(title, source, parsed, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + url + ": " + e.getMessage(), e);
    }
  }

  /** The entries of an unresolved, parsed reference (parse it yourself to keep the comments). */
  public static Section read(String title, String source, Config parsed) {
    return read(title, source, parsed, List.of());
  }

  /**
   * As {@link #read(String, String, Config)}, with the source text, from which values that are
   * still unresolved (substitutions, {@code ${a} { b = 1 }} merges) are shown as written.
   */
  public static Section read(String title, String source, Config parsed, List<String> sourceLines) {
    List<Entry> out = new ArrayList<>();
    walk(parsed.root(), "", "", null, out, sourceLines);
    return new Section(title, source, out);
  }

  private static ConfigParseOptions options() {
    return ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false);
  }

  private interface Parser {
    Config parse();
  }

  private static Config parse(Parser p, String where) {
    try {
      return p.parse();
    } catch (ConfigException e) {
      throw new IllegalArgumentException("cannot parse " + where + ": " + e.getMessage(), e);
    }
  }

  /**
   * Adds the entries under {@code obj}; returns the description of the last one.
   *
   * @param lineDescription the description of {@code obj} itself, for keys on its opening line
   * @param block the nearest enclosing block with a comment of its own (its comment and name), or
   *     null
   */
  private static String walk(ConfigObject obj, String path, String lineDescription, Block block, List<Entry> out, List<String> lines) {
    List<Map.Entry<String, ConfigValue>> children = new ArrayList<>(obj.entrySet());
    children.sort(Comparator.comparingInt((Map.Entry<String, ConfigValue> e) -> line(e.getValue())).thenComparing(Map.Entry::getKey));
    int previousLine = line(obj);
    String previousDescription = lineDescription;
    for (Map.Entry<String, ConfigValue> e : children) {
      String key = ConfigTree.join(path, e.getKey());
      ConfigValue v = e.getValue();
      int line = line(v);
      String own = comments(v);
      String description = own;
      if (description.isEmpty() && line > 0 && line == previousLine) {
        description = previousDescription;
      }
      if (description.isEmpty() && block != null) {
        description = block.describe(key);
      }
      if (ConfigTree.typeOf(v) == ConfigValueType.OBJECT && !((ConfigObject) v).isEmpty()) {
        Block inner = own.isEmpty() || isTopLevel(key, line, lines) ? block : new Block(e.getKey(), own);
        String last = walk((ConfigObject) v, key, description, inner, out, lines);
        previousLine = lastLine((ConfigObject) v, line);
        previousDescription = description.isEmpty() ? last : description;
      } else {
        out.add(new Entry(key, render(v, lines), description, line));
        previousLine = line;
        previousDescription = description;
      }
    }
    return previousDescription;
  }

  /**
   * Whether a block is written as a top-level statement of its file ({@code bevt { ... }},
   * {@code bevt.model.tokenizer.dalle { ... }}): the comment above such a statement is the file's
   * header, not a description of the keys inside. Without the source text, the outermost key counts.
   */
  private static boolean isTopLevel(String key, int line, List<String> lines) {
    if (line >= 1 && line <= lines.size()) {
      String text = lines.get(line - 1);
      return !text.isEmpty() && !Character.isWhitespace(text.charAt(0));
    }
    return !key.contains(".");
  }

  /**
   * A block whose comment describes its keys that have none of their own: the first such key shows
   * the comment, the others refer to it.
   */
  private static final class Block {
    private final String name;
    private final String comment;
    private String firstKey;

    Block(String name, String comment) {
      this.name = name;
      this.comment = comment;
    }

    String describe(String key) {
      if (firstKey == null) {
        firstKey = key;
        return "(block `" + name + "`) " + comment;
      }
      return "(block `" + name + "`, see `" + firstKey + "`)";
    }
  }

  private static int lastLine(ConfigObject obj, int start) {
    int last = start;
    for (ConfigValue v : obj.values()) {
      last = Math.max(last, ConfigTree.typeOf(v) == ConfigValueType.OBJECT ? lastLine((ConfigObject) v, line(v)) : line(v));
    }
    return last;
  }

  private static int line(ConfigValue v) {
    return v.origin() == null ? -1 : v.origin().lineNumber();
  }

  private static String comments(ConfigValue v) {
    if (v.origin() == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (String c : v.origin().comments()) {
      String t = c.strip();
      if (!t.isEmpty()) {
        parts.add(t);
      }
    }
    return String.join(" ", parts);
  }

  private static String render(ConfigValue v, List<String> lines) {
    ConfigValueType type = ConfigTree.typeOf(v);
    if (type == ConfigValueType.NUMBER) {
      return number((Number) v.unwrapped());
    }
    if (type == null) {
      String written = asWritten(lines, line(v));
      if (written != null) {
        return written;
      }
    }
    return v.render(CONCISE).replaceAll("\\s+", " ").strip();
  }

  /**
   * The value text of the assignment on {@code line} (1-based): after the first {@code =} or
   * {@code :}, continued over following lines until braces and brackets balance; null when the
   * text is not available. (Typesafe Config cannot render unresolved merges faithfully.)
   */
  static String asWritten(List<String> lines, int line) {
    if (line < 1 || line > lines.size()) {
      return null;
    }
    String first = lines.get(line - 1);
    int eq = indexOfAssignment(first);
    if (eq < 0) {
      return null;
    }
    StringBuilder sb = new StringBuilder(first.substring(eq + 1).strip());
    int depth = depth(sb);
    for (int i = line; depth > 0 && i < lines.size(); i++) {
      String next = lines.get(i).strip();
      sb.append(' ').append(next);
      depth += depth(next);
    }
    return sb.toString().replaceAll("\\s+", " ").strip();
  }

  private static int indexOfAssignment(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '=' || c == ':') {
        return i;
      }
      if (c == '"' || c == '{' || c == '#') {
        return -1;
      }
    }
    return -1;
  }

  private static int depth(CharSequence s) {
    int d = 0;
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == '{' || c == '[')) {
        d++;
      } else if (!quoted && (c == '}' || c == ']')) {
        d--;
      }
    }
    return d;
  }

  /** Integers as written; small fractions as {@code 5e-4}; others in plain notation ({@code 0.05}, {@code 1.0}). */
  static String number(Number n) {
    if (!(n instanceof Double || n instanceof Float)) {
      return n.toString();
    }
    double d = n.doubleValue();
    if (d != 0 && Math.abs(d) < 1e-3) {
      String[] parts = String.format(java.util.Locale.ROOT, "%.6e", d).split("e");
      String mantissa = new java.math.BigDecimal(parts[0]).stripTrailingZeros().toPlainString();
      return mantissa + "e" + Integer.parseInt(parts[1]);
    }
    String plain = java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    return plain.contains(".") ? plain : plain + ".0";
  }

  /**
   * The Markdown document: {@code preamble} (may be empty), then per section a heading, its source
   * and one table per group of keys sharing their first {@code groupDepth} path segments.
   */
  public static String markdown(String preamble, List<Section> sections, int groupDepth) {
    StringBuilder sb = new StringBuilder(preamble);
    for (Section s : sections) {
      sb.append("\n## ").append(s.title()).append("\n\n");
      if (!s.source().isEmpty()) {
        sb.append("Source: `").append(s.source()).append("`\n");
      }
      Map<String, List<Entry>> groups = new LinkedHashMap<>();
      for (Entry e : s.entries()) {
        groups.computeIfAbsent(group(e.key(), groupDepth), k -> new ArrayList<>()).add(e);
      }
      boolean headings = groups.size() > 1;
      for (Map.Entry<String, List<Entry>> g : groups.entrySet()) {
        sb.append('\n');
        if (headings) {
          sb.append("### `").append(g.getKey()).append("`\n\n");
        }
        sb.append("| key | default | description |\n|---|---|---|\n");
        for (Entry e : g.getValue()) {
          sb.append("| `").append(cell(e.key())).append("` | `").append(cell(e.defaultValue())).append("` | ")
              .append(cell(e.description())).append(" |\n");
        }
      }
    }
    return sb.toString();
  }

  private static String group(String key, int depth) {
    String[] parts = key.split("\\.");
    if (parts.length <= depth) {
      return String.join(".", java.util.Arrays.copyOf(parts, Math.max(1, parts.length - 1)));
    }
    return String.join(".", java.util.Arrays.copyOf(parts, depth));
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
