package org.bevt4j.core.quickstart;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.ProgressListener;
import org.bevt4j.core.tokenizer.TokenizerTrainingJob;
import org.bevt4j.core.tokenizer.TokenizerTrainingResult;

/**
 * The quickstart's first step: trains the tokenizer of {@code bevt.quickstart.tokenizer} into
 * {@code <run>/tokenizer} (reusing a result with the same config hash) and turns its
 * {@code tokenizer.conf} into the {@code --set} assignments that make pretraining use it.
 */
final class QuickstartTokenizer {
  private QuickstartTokenizer() {}

  /** Trains (or reuses) the tokenizer {@code type} with {@code preset} in {@code dir}. */
  static TokenizerTrainingResult train(Path dir, String type, String preset, Function<List<String>, BevtRuntime> opener,
      ProgressListener progress) {
    List<String> sets = new ArrayList<>();
    sets.add("bevt.tokenizer-training.type=" + quote(type));
    sets.add("bevt.tokenizer-training.dir=" + quote(dir.toString()));
    if (preset != null) {
      sets.add("bevt.tokenizer-training.preset=" + quote(preset));
    }
    try (BevtRuntime rt = opener.apply(sets)) {
      rt.validate();
      return TokenizerTrainingJob.run(rt, progress);
    }
  }

  /**
   * One {@code --set} per leaf of the written {@code tokenizer.conf} ({@code bevt.model.tokenizer.type}
   * and the type's settings with {@code weights}), so the pretraining builds exactly the trained model.
   */
  static List<String> selectingSets(TokenizerTrainingResult r) {
    Config c = ConfigFactory.parseFile(r.tokenizerConf().toFile()).resolve();
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
      out.add(e.getKey() + "=" + e.getValue().render(ConfigRenderOptions.concise()));
    }
    return out;
  }

  /** A line for the user: trained or reused, PSNR, codebook usage and perplexity. */
  static String describe(TokenizerTrainingResult r) {
    Map<String, Object> s = r.summary();
    return String.format(Locale.ROOT, "      %s: PSNR %.2f dB, codebook usage %.1f%%, perplexity %.1f of %d codes",
        r.cached() ? "reused (same config hash)" : String.format(Locale.ROOT, "trained in %.0f s", r.seconds()),
        num(s.get("psnr")), 100 * num(s.get("usage")), num(s.get("perplexity")), (long) num(s.get("vocab-size")));
  }

  /** What quickstart.json records about the tokenizer. */
  static Map<String, Object> summary(TokenizerTrainingResult r) {
    Map<String, Object> s = r.summary();
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : List.of("type", "preset", "config-hash", "steps", "train-seconds", "psnr", "mean-colour-psnr", "usage", "perplexity")) {
      out.put(k, s.get(k));
    }
    out.put("vocab-size", (long) num(s.get("vocab-size")));
    out.put("cached", r.cached());
    out.put("weights", r.weights().toString());
    return out;
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
