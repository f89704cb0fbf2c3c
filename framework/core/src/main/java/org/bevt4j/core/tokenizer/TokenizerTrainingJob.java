package org.bevt4j.core.tokenizer;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.DatasetFactory;
import org.bevt4j.api.Settings;
import org.bevt4j.api.tokenizer.FeatureNetworkFactory;
import org.bevt4j.api.tokenizer.TokenizerTrainerFactory;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.ComponentBuilder;
import org.bevt4j.core.ProgressListener;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.registry.ComponentRegistry;
import org.bevt4j.core.registry.ExtensionRegistry;
import org.bevt4j.core.registry.Registries;

/**
 * {@code bevt4j train-tokenizer} on a started runtime: the trainers, perceptual networks and datasets
 * of its registries (core's and the plugins'), a build context on the configured device (with the
 * configured backbone when the perceptual network is {@code backbone}), then
 * {@link TokenizerTraining#run}.
 */
public final class TokenizerTrainingJob {
  private TokenizerTrainingJob() {}

  /** The registries' trainable tokenizers, perceptual networks and datasets. */
  public static TokenizerTrainingComponents components(Registries r) {
    Map<String, TokenizerTrainerFactory> trainers = new LinkedHashMap<>();
    for (ExtensionRegistry.Entry<TokenizerTrainerFactory> e : r.tokenizerTrainers().entries()) {
      trainers.put(e.name(), e.extension());
    }
    Map<String, FeatureNetworkFactory> networks = new LinkedHashMap<>();
    for (ExtensionRegistry.Entry<FeatureNetworkFactory> e : r.featureNetworks().entries()) {
      networks.put(e.name(), e.extension());
    }
    ComponentRegistry<DatasetFactory> datasets = r.datasets();
    return new TokenizerTrainingComponents(trainers, networks, (Config block, BuildContext ctx) -> dataset(datasets, block, ctx));
  }

  private static Dataset dataset(ComponentRegistry<DatasetFactory> reg, Config block, BuildContext ctx) {
    Settings s = Settings.of(block, "bevt.data");
    String type = s.string("type");
    DatasetFactory f = reg.get(type, "bevt.data.<stream>.type", s.origin("type"));
    return ComponentBuilder.create(reg, f, type, block, ctx);
  }

  /**
   * Trains (or reuses a cached result) with the runtime's configuration; the type, preset, run
   * directory and resume mode come from {@code bevt.tokenizer-training} (the CLI sets them from its
   * options).
   *
   * @param progress progress display ({@link ProgressListener#NONE} for none)
   */
  public static TokenizerTrainingResult run(BevtRuntime rt, ProgressListener progress) {
    TokenizerTrainingComponents components = components(rt.registries());
    try (RuntimeBuildContext ctx = rt.newBuildContext()) {
      TokenizerTrainingRequest req = new TokenizerTrainingRequest(rt.config(), null, null, null, ctx, components, progress);
      TrainingPlan plan = TrainingPlan.of(req);
      if ("backbone".equals(plan.settings().perceptualNetwork()) && !RunOutputs.cached(plan).isPresent()) {
        rt.buildBackbone(ctx);
      }
      return TokenizerTraining.run(req);
    }
  }

  /** The run plan (settings, run directory, config hash) without training: for dry runs. */
  public static TrainingPlan plan(BevtRuntime rt) {
    try (RuntimeBuildContext ctx = rt.newBuildContext()) {
      return TrainingPlan.of(new TokenizerTrainingRequest(rt.config(), null, null, null, ctx, components(rt.registries()), null));
    }
  }
}
