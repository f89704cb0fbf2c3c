package org.bevt4j.core.tokenizer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Settings;
import org.bevt4j.io.Names;

/**
 * Everything a {@code train-tokenizer} run is made of, resolved from the configuration before any
 * model is built: the generic settings and the type's and the perceptual network's blocks with the
 * preset applied, the data block, the run directory, and the config hash that decides whether a
 * cached result may be reused.
 *
 * @param settings the generic settings
 * @param typeBlock the type's settings ({@code TokenizerTrainerFactory.settingsPath()}, by default
 *     {@code bevt.model.tokenizer.<type>.training}) with the preset applied
 * @param networkBlock the perceptual network's settings ({@code FeatureNetworkFactory.settingsPath()})
 *     with the preset applied, or null
 * @param runDir the run directory
 * @param hash SHA-256 (hex) of every setting that affects the trained weights
 */
public record TrainingPlan(TokenizerTrainingSettings settings, Config typeBlock, Config networkBlock, Path runDir, String hash) {
  /** Generic keys that do not change the trained weights (left out of the hash). */
  static final List<String> NOT_HASHED = List.of("log-every", "checkpoint-every", "keep-checkpoints", "sample-every",
      "eval-frames", "resume", "cache", "dir", "compare-untrained", "presets", "preset", "type");

  /** Salt of the hash; bump when the training code changes what a config produces. */
  static final String VERSION = "bevt4j-tokenizer-training/1";

  /** Resolves the plan of a request. */
  public static TrainingPlan of(TokenizerTrainingRequest req) {
    Config root = req.config();
    String path = TokenizerTrainingSettings.PATH;
    if (!root.hasPath(path)) {
      throw new BevtConfigException(path, "", "is missing", "core's reference.conf defines it; is the configuration resolved?");
    }
    Config raw = root.getConfig(path);
    Settings rs = Settings.of(raw, path);
    String preset = req.preset() != null ? req.preset() : rs.optString("preset");
    Presets.check(raw, preset, rs);
    Config generic = Presets.apply(raw, preset);
    String type = req.type() != null ? req.type() : Settings.of(generic, path).optString("type");
    if (type != null && !req.components().trainers().containsKey(type)) {
      throw new BevtConfigException(path + ".type", rs.origin("type"), "no trainable tokenizer of type \"" + type + "\"",
          "known: " + req.components().trainers().keySet().stream().sorted().toList()
              + Names.didYouMean(type, req.components().trainers().keySet()));
    }
    long defaultSeed = root.hasPath("bevt.train.seed") ? root.getLong("bevt.train.seed") : 0;
    TokenizerTrainingSettings s = TokenizerTrainingSettings.parse(generic, type, preset, defaultSeed);
    String typePath = req.components().trainers().get(type).settingsPath();
    Config typeBlock = Presets.apply(root.hasPath(typePath) ? root.getConfig(typePath) : ConfigFactory.empty(), preset);
    Config networkBlock = null;
    if (s.perceptualNetwork() != null) {
      String n = s.perceptualNetwork();
      if (!req.components().networks().containsKey(n)) {
        throw new BevtConfigException(path + ".perceptual.network", Settings.of(generic, path).sub("perceptual").origin("network"),
            "no perceptual feature network \"" + n + "\"", "known: none, " + req.components().networks().keySet().stream().sorted().toList()
                + Names.didYouMean(n, req.components().networks().keySet()));
      }
      String networkPath = req.components().networks().get(n).settingsPath();
      Config nb = root.hasPath(networkPath) ? root.getConfig(networkPath) : ConfigFactory.empty();
      networkBlock = Presets.apply(nb, preset);
    }
    Path dir = req.runDir() != null ? req.runDir() : defaultRunDir(root, generic, type, preset);
    return new TrainingPlan(s, typeBlock, networkBlock, dir.toAbsolutePath().normalize(), hash(root, generic, s, typeBlock, networkBlock));
  }

  /** {@code bevt.tokenizer-training.dir}, or {@code <parent of bevt.run.dir>/tokenizer-<type>[-<preset>]}. */
  static Path defaultRunDir(Config root, Config generic, String type, String preset) {
    if (generic.hasPath("dir") && !generic.getIsNull("dir")) {
      return Path.of(generic.getString("dir"));
    }
    Path runs = root.hasPath("bevt.run.dir") ? Path.of(root.getString("bevt.run.dir")).getParent() : null;
    String name = "tokenizer-" + type + (preset == null ? "" : "-" + preset);
    return runs == null ? Path.of("runs", name) : runs.resolve(name);
  }

  private static String hash(Config root, Config generic, TokenizerTrainingSettings s, Config typeBlock, Config networkBlock) {
    Config g = generic;
    for (String k : NOT_HASHED) {
      g = g.withoutPath(k);
    }
    // the perceptual block holds every network's settings; only the selected one matters
    g = g.withoutPath("perceptual");
    StringBuilder sb = new StringBuilder(VERSION).append('\n').append(s.type()).append('\n');
    sb.append(render(g)).append('\n').append(render(typeBlock)).append('\n');
    sb.append(s.perceptualNetwork()).append('\n');
    if (networkBlock != null) {
      sb.append(render(networkBlock)).append('\n');
    }
    if ("backbone".equals(s.perceptualNetwork()) && root.hasPath("bevt.model.backbone")) {
      sb.append(render(root.getConfig("bevt.model.backbone"))).append('\n');
    }
    TokenizerTrainingSettings.DataSettings d = s.data();
    if (root.hasPath("bevt.data." + d.stream())) {
      sb.append(render(d.overrides().withFallback(root.getConfig("bevt.data." + d.stream())))).append('\n');
    }
    if (root.hasPath("bevt.data.loader")) {
      sb.append(render(root.getConfig("bevt.data.loader").withoutPath("workers").withoutPath("prefetch"))).append('\n');
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Concise JSON with keys in sorted order (Typesafe Config renders object keys sorted). */
  static String render(Config c) {
    return c.root().render(ConfigRenderOptions.concise());
  }
}
