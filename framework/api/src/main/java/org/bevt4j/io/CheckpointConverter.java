package org.bevt4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Converts a weight file (a PyTorch checkpoint, or a safetensors file) into a flat
 * {@code .safetensors} file, applying {@link ConversionOptions}: select, drop, strip, rename, then
 * cast. The output's metadata records the source (file name, SHA-256, format, container) and the
 * rules applied. This is the engine of the {@code convert} command.
 */
public final class CheckpointConverter {
  private CheckpointConverter() {}

  /**
   * Converts {@code input} to {@code output} (written atomically).
   *
   * @throws WeightFileException if the input cannot be read, nothing is left after the rules, or
   *     the output would overwrite the input
   * @throws IllegalArgumentException if the rules map two keys to one name
   */
  public static ConversionSummary convert(Path input, Path output, ConversionOptions options) {
    if (Files.exists(output) && sameFile(input, output)) {
      throw new WeightFileException(output + ": the output would overwrite the input checkpoint");
    }
    StateDict source = StateDict.load(input);
    List<String> dropped = new ArrayList<>();
    StateDict kept = transform(source, options, dropped);
    int widened = 0;
    Map<String, TensorData> out = new LinkedHashMap<>();
    Map<DType, Integer> dtypes = new EnumMap<>(DType.class);
    long bytes = 0;
    for (Map.Entry<String, TensorData> e : kept.tensors().entrySet()) {
      TensorData t = e.getValue();
      if (options.cast() == ConversionOptions.Cast.F32 && (t.dtype() == DType.F16 || t.dtype() == DType.BF16)) {
        t = TensorData.ofFloats(t.toFloats(), t.shape());
        widened++;
      }
      out.put(e.getKey(), t);
      dtypes.merge(t.dtype(), 1, Integer::sum);
      bytes += t.numel() * t.dtype().bytes();
    }
    String container = source.metadata().getOrDefault("container", "<root>");
    SafeTensors.write(output, out, metadata(input, source, container, options));
    long fileBytes;
    try {
      fileBytes = Files.size(output);
    } catch (IOException e) {
      throw new WeightFileException(output + ": cannot read back the size: " + e.getMessage(), e);
    }
    return new ConversionSummary(output, out.size(), bytes, fileBytes, dtypes, dropped, widened, container);
  }

  /**
   * Applies select, drop, strip and rename (not the cast) to a state dict; keys removed by
   * select/drop are added to {@code dropped} when it is not null.
   *
   * @throws WeightFileException if no tensor is left
   */
  public static StateDict transform(StateDict source, ConversionOptions options, List<String> dropped) {
    StateDict kept =
        source.filter(
            k -> {
              boolean keep =
                  (options.select().isEmpty() || options.select().stream().anyMatch(k::startsWith))
                      && !options.drops(k);
              if (!keep && dropped != null) {
                dropped.add(k);
              }
              return keep;
            });
    if (kept.size() == 0) {
      throw new WeightFileException(
          source.source() + ": no tensors left after select " + options.select() + " and drop " + options.drop()
              + "; the source has " + source.size() + " tensors with top-level prefixes " + prefixes(source));
    }
    kept = kept.stripPrefixes(options.strip().toArray(String[]::new));
    if (!options.renames().isEmpty()) {
      kept =
          kept.rename(
              k -> {
                for (ConversionOptions.Rename r : options.renames()) {
                  if (k.startsWith(r.from())) {
                    return r.to() + k.substring(r.from().length());
                  }
                }
                return k;
              });
    }
    for (String k : kept.keys()) {
      if (k.isEmpty()) {
        throw new WeightFileException(source.source() + ": a rule turned a key into the empty name");
      }
    }
    return kept;
  }

  private static Map<String, String> metadata(Path input, StateDict source, String container, ConversionOptions o) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("format", "pt");
    m.put("converted_by", "bevt4j convert");
    m.put("source_file", input.getFileName().toString());
    m.put("source_sha256", sha256(input));
    m.put("source_format", source.metadata().getOrDefault("format", "safetensors"));
    m.put("source_container", container);
    if (!o.select().isEmpty()) {
      m.put("select", String.join(",", o.select()));
    }
    if (!o.drop().isEmpty() || o.dropIndexBuffers()) {
      List<String> d = new ArrayList<>(o.drop());
      if (o.dropIndexBuffers()) {
        d.addAll(ConversionOptions.INDEX_BUFFERS);
      }
      m.put("drop", String.join(",", d));
    }
    if (!o.strip().isEmpty()) {
      m.put("strip", String.join(",", o.strip()));
    }
    if (!o.renames().isEmpty()) {
      m.put("rename", String.join(",", o.renames().stream().map(r -> r.from() + "=" + r.to()).toList()));
    }
    m.put("cast", o.cast().name().toLowerCase(java.util.Locale.ROOT));
    return m;
  }

  private static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new WeightFileException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static String prefixes(StateDict sd) {
    TreeSet<String> p = new TreeSet<>();
    for (String k : sd.keys()) {
      int dot = k.indexOf('.');
      p.add(dot < 0 ? k : k.substring(0, dot + 1));
      if (p.size() > 12) {
        break;
      }
    }
    return p.toString();
  }
}
