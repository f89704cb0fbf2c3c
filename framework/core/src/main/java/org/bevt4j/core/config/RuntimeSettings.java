package org.bevt4j.core.config;

import com.typesafe.config.Config;
import org.bevt4j.api.Settings;

/**
 * The settings the runtime itself uses, validated eagerly at start-up.
 *
 * @param device {@code bevt.train.device}: auto, cpu or gpu
 * @param seed {@code bevt.train.seed}, >= 0
 * @param runName {@code bevt.run.name}, non-empty
 * @param runDir {@code bevt.run.dir}, non-empty (relative to the working directory)
 * @param resume {@code bevt.run.resume}: none, auto or a checkpoint path
 * @param pluginsDir {@code bevt.plugins.dir}
 */
public record RuntimeSettings(String device, long seed, String runName, String runDir, String resume, String pluginsDir) {
  public static final String[] DEVICES = {"auto", "cpu", "gpu"};

  /** Reads and validates the settings from the resolved root configuration. */
  public static RuntimeSettings from(Config root) {
    Settings train = Settings.of(root, "").sub("bevt.train");
    Settings run = Settings.of(root, "").sub("bevt.run");
    Settings plugins = Settings.of(root, "").sub("bevt.plugins");
    String device = train.oneOf("device", DEVICES);
    long seed = train.longValue("seed");
    if (seed < 0) {
      throw train.invalid("seed", "value " + seed + " is out of range", "must be >= 0");
    }
    String name = nonEmpty(run, "name");
    String dir = nonEmpty(run, "dir");
    String resume = nonEmpty(run, "resume");
    String pluginsDir = nonEmpty(plugins, "dir");
    return new RuntimeSettings(device, seed, name, dir, resume, pluginsDir);
  }

  private static String nonEmpty(Settings s, String key) {
    String v = s.string(key);
    if (v.isBlank()) {
      throw s.invalid(key, "must not be empty", null);
    }
    return v;
  }
}
