package org.bevt4j.peco.train;

import org.bevt4j.testkit.TestBuildContext;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.tokenizer.FeatureNetworkFactory;
import org.bevt4j.api.tokenizer.TokenizerTrainerFactory;
import org.bevt4j.core.ProgressListener;
import org.bevt4j.core.config.ConfigLoader;
import org.bevt4j.core.tokenizer.TokenizerTraining;
import org.bevt4j.core.tokenizer.TokenizerTrainingComponents;
import org.bevt4j.core.tokenizer.TokenizerTrainingRequest;
import org.bevt4j.core.tokenizer.TokenizerTrainingResult;

/**
 * Manual runner (not a test): trains a tokenizer with both tokenizer plugins on the class path (the
 * tokenizer-dalle classes are found by name), printing the log lines, and reports wall and process
 * CPU time. Args: type preset runDir [HOCON overrides]. Run from the repository root.
 */
public final class TinyRunMain {
  public static void main(String[] args) throws Exception {
    String type = args[0];
    String preset = args[1].equals("-") ? null : args[1];
    Path dir = Path.of(args[2]);
    String user = args.length > 3 ? args[3] : "";
    Map<String, Config> plugins = new LinkedHashMap<>();
    for (String p : List.of("tokenizer-peco", "tokenizer-dalle")) {
      Path f = Path.of("plugins", p, "src/main/resources/reference.conf");
      if (Files.isRegularFile(f)) {
        plugins.put(p, ConfigFactory.parseFile(f.toFile()));
      }
    }
    Config c = ConfigFactory.parseString(user).withFallback(ConfigLoader.mergeReferences(ConfigLoader.coreReference(), plugins)).resolve();
    List<TokenizerTrainerFactory> trainers = new ArrayList<>(List.of(new PecoTrainerFactory()));
    List<FeatureNetworkFactory> nets = new ArrayList<>(List.of(new RandomConvNetworkFactory()));
    try {
      trainers.add((TokenizerTrainerFactory) Class.forName("org.bevt4j.dalle.train.DalleTrainerFactory").getConstructor().newInstance());
      nets.add((FeatureNetworkFactory) Class.forName("org.bevt4j.dalle.train.DalleFeatureNetworkFactory").getConstructor().newInstance());
    } catch (ClassNotFoundException e) {
      System.out.println("tokenizer-dalle classes not on the class path");
    }
    ProgressListener print = (name, initial, total, unit) -> new ProgressListener.Task() {
      @Override
      public void update(long done) {}

      @Override
      public void message(String message) {
        System.out.println(message);
      }

      @Override
      public void close() {}
    };
    long t0 = System.nanoTime();
    double c0 = cpu();
    try (NDManager m = NDManager.newBaseManager()) {
      TokenizerTrainingResult r = TokenizerTraining.run(new TokenizerTrainingRequest(c, type, preset, dir, TestBuildContext.of(m).withBaseDir(dir),
          TokenizerTrainingComponents.of(trainers, nets), print));
      System.out.printf("done: cached %s, wall %.1f s, process CPU %.1f s, load %s%n", r.cached(), (System.nanoTime() - t0) / 1e9,
          cpu() - c0, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      System.out.println(r.summary());
    }
  }

  static double cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }
}
