package org.bevt4j.core.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bevt4j.core.BevtRuntime;

/**
 * Runs {@link StepBenchmark} from the source tree (plugins in development mode), for measurements
 * without the packaged distribution. Not a test. Arguments are {@code key=value}: backbone, size,
 * streams, attention (comma lists), warmup, steps, threads, tokenizer (images), profile
 * (true/false), profile-dir (keep traces there), json (file), and any number of {@code set=KEY=VALUE} config overrides.
 */
public final class StepBenchMain {
  private StepBenchMain() {}

  public static void main(String[] args) throws Exception {
    String backbone = "video-swin";
    String size = "small";
    String streams = "video,image,joint";
    String attention = "";
    int warmup = 1;
    int steps = 3;
    int threads = 0;
    int tokenizer = 0;
    boolean profile = false;
    Path json = null;
    Path profileDir = null;
    List<String> sets = new ArrayList<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      String k = a.substring(0, eq);
      String v = a.substring(eq + 1);
      switch (k) {
        case "backbone" -> backbone = v;
        case "size" -> size = v;
        case "streams" -> streams = v;
        case "attention" -> attention = v;
        case "warmup" -> warmup = Integer.parseInt(v);
        case "steps" -> steps = Integer.parseInt(v);
        case "threads" -> threads = Integer.parseInt(v);
        case "tokenizer" -> tokenizer = Integer.parseInt(v);
        case "profile" -> profile = Boolean.parseBoolean(v);
        case "json" -> json = Path.of(v);
        case "profile-dir" -> profileDir = Path.of(v);
        case "set" -> sets.add(v);
        default -> throw new IllegalArgumentException("unknown argument " + k);
      }
    }
    List<StepPreset> presets = new ArrayList<>();
    for (String b : backbone.split(",")) {
      for (String s : size.split(",")) {
        presets.add(StepPreset.of(b, s));
      }
    }
    List<StepBenchmark.StreamCase> cases = Arrays.stream(streams.split(",")).map(StepBenchmark.StreamCase::parse).toList();
    List<String> modes = attention.isEmpty() ? List.of() : Arrays.asList(attention.split(","));
    StepBenchmark.Options o = new StepBenchmark.Options(presets, cases, modes, warmup, steps, threads, tokenizer, profile, 0,
        StepBenchmark.Options.MATMUL_SIZE, profileDir);
    List<BenchRecord> records = StepBenchmark.run(o, extra -> {
      BevtRuntime.Builder b = BevtRuntime.builder().sets(sets).sets(extra);
      return b.open();
    }, line -> {
      System.err.println(line);
      System.err.flush();
    });
    System.out.print(BenchTable.format(records));
    if (json != null) {
      Files.writeString(json, BenchRecord.toJson(records) + "\n");
    }
  }
}
