package org.bevt4j.core.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.bevt4j.api.BackboneFactory;
import org.bevt4j.api.DatasetFactory;
import org.bevt4j.api.DecoderFactory;
import org.bevt4j.api.MaskerFactory;
import org.bevt4j.api.MetricsSink;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenizerFactory;
import org.bevt4j.api.TrainingHook;
import org.bevt4j.api.tokenizer.FeatureNetworkFactory;
import org.bevt4j.api.tokenizer.TokenizerTrainerFactory;
import org.pf4j.PluginManager;

/**
 * One registry per extension point, built once at start-up from the host class path (core's own
 * {@code @Extension}s) and the started plugins. Decoders are registered per stream
 * ({@link DecoderFactory#stream()}), so an image and a video decoder may share a name.
 */
public final class Registries {
  /** Point names, as shown by {@code bevt4j plugins} and used in error messages. */
  public static final String BACKBONE = "backbone";
  public static final String TOKENIZER = "tokenizer";
  public static final String DECODER = "decoder";
  public static final String MASKER = "masker";
  public static final String DATASET = "dataset";
  public static final String METRICS_SINK = "metrics-sink";
  public static final String TRAINING_HOOK = "training-hook";
  public static final String TOKENIZER_TRAINER = "tokenizer-trainer";
  public static final String FEATURE_NETWORK = "feature-network";

  private final ComponentRegistry<BackboneFactory> backbones;
  private final ComponentRegistry<TokenizerFactory> tokenizers;
  private final Map<StreamKind, ComponentRegistry<DecoderFactory>> decoders;
  private final ComponentRegistry<MaskerFactory> maskers;
  private final ComponentRegistry<DatasetFactory> datasets;
  private final ExtensionRegistry<MetricsSink> metricsSinks;
  private final ExtensionRegistry<TrainingHook> trainingHooks;
  private final ComponentRegistry<TokenizerTrainerFactory> tokenizerTrainers;
  private final ComponentRegistry<FeatureNetworkFactory> featureNetworks;
  private final List<ExtensionFailure> failures;

  private Registries(Builder b) {
    Supplier<List<String>> notes = b.notes;
    this.backbones = ComponentRegistry.of(BACKBONE, b.backbones, notes);
    this.tokenizers = ComponentRegistry.of(TOKENIZER, b.tokenizers, notes);
    this.decoders = new EnumMap<>(StreamKind.class);
    for (StreamKind s : StreamKind.values()) {
      List<ExtensionRegistry.Entry<DecoderFactory>> forStream =
          b.decoders.stream().filter(e -> e.extension().stream() == s).toList();
      decoders.put(s, ComponentRegistry.of(s.configName() + " " + DECODER, forStream, notes));
    }
    this.maskers = ComponentRegistry.of(MASKER, b.maskers, notes);
    this.datasets = ComponentRegistry.of(DATASET, b.datasets, notes);
    this.metricsSinks = ExtensionRegistry.named(METRICS_SINK, b.metricsSinks);
    this.trainingHooks = ExtensionRegistry.named(TRAINING_HOOK, b.trainingHooks);
    this.tokenizerTrainers = ComponentRegistry.of(TOKENIZER_TRAINER, b.tokenizerTrainers, notes);
    this.featureNetworks = ComponentRegistry.of(FEATURE_NETWORK, b.featureNetworks, notes);
    this.failures = List.copyOf(b.failures);
  }

  /**
   * Collects every extension point from {@code manager} (whose extension factory should already
   * hold the injector). Duplicate names throw; per-extension failures are recorded in
   * {@link #failures()}.
   *
   * @param notes extra sentences appended to unknown-type errors (e.g. which plugins failed)
   */
  public static Registries collect(PluginManager manager, Supplier<List<String>> notes) {
    ExtensionCollector c = new ExtensionCollector(manager);
    Builder b = builder();
    b.backbones.addAll(c.collect(BackboneFactory.class, BACKBONE, BackboneFactory::name));
    b.tokenizers.addAll(c.collect(TokenizerFactory.class, TOKENIZER, TokenizerFactory::name));
    b.decoders.addAll(c.collect(DecoderFactory.class, DECODER, Registries::decoderName));
    b.maskers.addAll(c.collect(MaskerFactory.class, MASKER, MaskerFactory::name));
    b.datasets.addAll(c.collect(DatasetFactory.class, DATASET, DatasetFactory::name));
    b.metricsSinks.addAll(c.collect(MetricsSink.class, METRICS_SINK, MetricsSink::name));
    b.trainingHooks.addAll(c.collect(TrainingHook.class, TRAINING_HOOK, TrainingHook::name));
    b.tokenizerTrainers.addAll(c.collect(TokenizerTrainerFactory.class, TOKENIZER_TRAINER, TokenizerTrainerFactory::name));
    b.featureNetworks.addAll(c.collect(FeatureNetworkFactory.class, FEATURE_NETWORK, FeatureNetworkFactory::name));
    b.failures.addAll(c.failures());
    b.notes = notes;
    return b.build();
  }

  private static String decoderName(DecoderFactory f) {
    if (f.stream() == null) {
      throw new IllegalStateException("stream() returned null");
    }
    return f.name();
  }

  public static Builder builder() {
    return new Builder();
  }

  public ComponentRegistry<BackboneFactory> backbones() {
    return backbones;
  }

  public ComponentRegistry<TokenizerFactory> tokenizers() {
    return tokenizers;
  }

  public ComponentRegistry<DecoderFactory> decoders(StreamKind stream) {
    return decoders.get(stream);
  }

  public ComponentRegistry<MaskerFactory> maskers() {
    return maskers;
  }

  public ComponentRegistry<DatasetFactory> datasets() {
    return datasets;
  }

  public ExtensionRegistry<MetricsSink> metricsSinks() {
    return metricsSinks;
  }

  public ExtensionRegistry<TrainingHook> trainingHooks() {
    return trainingHooks;
  }

  /** Trainable tokenizers ({@code bevt4j train-tokenizer --type NAME}). */
  public ComponentRegistry<TokenizerTrainerFactory> tokenizerTrainers() {
    return tokenizerTrainers;
  }

  /** Frozen perceptual feature networks ({@code bevt.tokenizer-training.perceptual.network}). */
  public ComponentRegistry<FeatureNetworkFactory> featureNetworks() {
    return featureNetworks;
  }

  /** The training hooks in the order they run (ascending priority, then name). */
  public List<TrainingHook> hooksByPriority() {
    return trainingHooks.entries().stream()
        .sorted(Comparator.comparingInt((ExtensionRegistry.Entry<TrainingHook> e) -> e.extension().priority())
            .thenComparing(ExtensionRegistry.Entry::name))
        .map(ExtensionRegistry.Entry::extension)
        .toList();
  }

  /** Extensions that could not be loaded or created (their plugins' other extensions still work). */
  public List<ExtensionFailure> failures() {
    return failures;
  }

  /**
   * What each owner provides: owner ({@value ExtensionRegistry#HOST} or plugin id) → point → names.
   * Decoders are listed as {@code name (image)} / {@code name (video)}.
   */
  public Map<String, Map<String, List<String>>> byOwner() {
    Map<String, Map<String, List<String>>> out = new TreeMap<>();
    add(out, backbones.point(), backbones.entries(), "");
    add(out, tokenizers.point(), tokenizers.entries(), "");
    for (StreamKind s : StreamKind.values()) {
      add(out, DECODER, decoders.get(s).entries(), " (" + s.configName() + ")");
    }
    add(out, maskers.point(), maskers.entries(), "");
    add(out, datasets.point(), datasets.entries(), "");
    add(out, metricsSinks.point(), metricsSinks.entries(), "");
    add(out, trainingHooks.point(), trainingHooks.entries(), "");
    add(out, tokenizerTrainers.point(), tokenizerTrainers.entries(), "");
    add(out, featureNetworks.point(), featureNetworks.entries(), "");
    return out;
  }

  private static <T> void add(
      Map<String, Map<String, List<String>>> out, String point, List<ExtensionRegistry.Entry<T>> entries, String suffix) {
    for (ExtensionRegistry.Entry<T> e : entries) {
      out.computeIfAbsent(e.owner(), k -> new LinkedHashMap<>()).computeIfAbsent(point, k -> new ArrayList<>()).add(e.name() + suffix);
    }
  }

  /** Assembles registries from explicit entries (tests, tools). */
  public static final class Builder {
    private final List<ExtensionRegistry.Entry<BackboneFactory>> backbones = new ArrayList<>();
    private final List<ExtensionRegistry.Entry<TokenizerFactory>> tokenizers = new ArrayList<>();
    private final List<ExtensionRegistry.Entry<DecoderFactory>> decoders = new ArrayList<>();
    private final List<ExtensionRegistry.Entry<MaskerFactory>> maskers = new ArrayList<>();
    private final List<ExtensionRegistry.Entry<DatasetFactory>> datasets = new ArrayList<>();
    private final List<ExtensionRegistry.Entry<MetricsSink>> metricsSinks = new ArrayList<>();
    private final List<ExtensionRegistry.Entry<TrainingHook>> trainingHooks = new ArrayList<>();
    private final List<ExtensionRegistry.Entry<TokenizerTrainerFactory>> tokenizerTrainers = new ArrayList<>();
    private final List<ExtensionRegistry.Entry<FeatureNetworkFactory>> featureNetworks = new ArrayList<>();
    private final List<ExtensionFailure> failures = new ArrayList<>();
    private Supplier<List<String>> notes = List::of;

    private Builder() {}

    public Builder backbone(BackboneFactory f, String owner) {
      backbones.add(new ExtensionRegistry.Entry<>(f.name(), f, owner));
      return this;
    }

    public Builder tokenizer(TokenizerFactory f, String owner) {
      tokenizers.add(new ExtensionRegistry.Entry<>(f.name(), f, owner));
      return this;
    }

    public Builder decoder(DecoderFactory f, String owner) {
      decoders.add(new ExtensionRegistry.Entry<>(f.name(), f, owner));
      return this;
    }

    public Builder masker(MaskerFactory f, String owner) {
      maskers.add(new ExtensionRegistry.Entry<>(f.name(), f, owner));
      return this;
    }

    public Builder dataset(DatasetFactory f, String owner) {
      datasets.add(new ExtensionRegistry.Entry<>(f.name(), f, owner));
      return this;
    }

    public Builder metricsSink(MetricsSink s, String owner) {
      metricsSinks.add(new ExtensionRegistry.Entry<>(s.name(), s, owner));
      return this;
    }

    public Builder trainingHook(TrainingHook h, String owner) {
      trainingHooks.add(new ExtensionRegistry.Entry<>(h.name(), h, owner));
      return this;
    }

    public Builder tokenizerTrainer(TokenizerTrainerFactory f, String owner) {
      tokenizerTrainers.add(new ExtensionRegistry.Entry<>(f.name(), f, owner));
      return this;
    }

    public Builder featureNetwork(FeatureNetworkFactory f, String owner) {
      featureNetworks.add(new ExtensionRegistry.Entry<>(f.name(), f, owner));
      return this;
    }

    public Registries build() {
      return new Registries(this);
    }
  }
}
