package org.bevt4j.core.tokenizer;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.tokenizer.FeatureNetworkFactory;
import org.bevt4j.api.tokenizer.TokenizerTrainerFactory;
import org.bevt4j.core.data.DataSources;

/**
 * What the loop builds from: trainer factories and perceptual networks by name (the host's
 * registries of {@link TokenizerTrainerFactory} and {@link FeatureNetworkFactory}), and how a
 * {@code bevt.data.<stream>} block becomes a dataset.
 *
 * @param trainers trainable-tokenizer factories by type
 * @param networks perceptual feature-network factories by name (core's {@code backbone} is added
 *     when absent)
 * @param datasets builds a dataset from a stream block (the host's dataset registry; by default the
 *     built-in datasets)
 */
public record TokenizerTrainingComponents(
    Map<String, TokenizerTrainerFactory> trainers,
    Map<String, FeatureNetworkFactory> networks,
    BiFunction<Config, BuildContext, Dataset> datasets) {
  public TokenizerTrainingComponents {
    trainers = Map.copyOf(trainers);
    Map<String, FeatureNetworkFactory> n = new LinkedHashMap<>(networks);
    BackboneFeatureNetworkFactory backbone = new BackboneFeatureNetworkFactory();
    n.putIfAbsent(backbone.name(), backbone);
    networks = Map.copyOf(n);
    datasets = datasets == null ? DataSources::create : datasets;
  }

  /** The given factories with core's built-in datasets. */
  public static TokenizerTrainingComponents of(Iterable<TokenizerTrainerFactory> trainers, Iterable<FeatureNetworkFactory> networks) {
    Map<String, TokenizerTrainerFactory> t = new LinkedHashMap<>();
    trainers.forEach(f -> t.put(f.name(), f));
    Map<String, FeatureNetworkFactory> n = new LinkedHashMap<>();
    networks.forEach(f -> n.put(f.name(), f));
    return new TokenizerTrainingComponents(t, n, null);
  }
}
