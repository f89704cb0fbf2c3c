package org.bevt4j.core.finetune;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.Dataset;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.bevt4j.core.optim.AdamW;
import org.bevt4j.core.optim.LrSchedule;
import org.bevt4j.core.optim.OptimParam;
import org.bevt4j.core.optim.ParamGroups;
import org.bevt4j.core.train.Pretrainer;
import org.bevt4j.core.train.Rngs;
import org.bevt4j.core.train.ShutdownGuard;
import org.bevt4j.io.BindReport;
import org.bevt4j.nn.Param;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes a backbone for classification: an I3D-style head on the backbone's final feature map,
 * label-smoothed cross-entropy, AdamW with layer-wise LR decay ({@link LayerIds}), warm-up +
 * cosine, clipping and accumulation ({@link FinetuneStep}); periodic and final multi-view
 * validation ({@link Evaluator}); metrics, plots, {@code finetune.json} and the confusion matrix;
 * atomic checkpoints with exact resume (model + head, optimizer, schedule position, data cursor;
 * randomness derived from the seed and the step), bit-identical on CPU.
 *
 * <pre>{@code
 * Finetuner.seedEngine(settings.seed());   // before building the backbone
 * Backbone backbone = ...;
 * FinetuneResult r = Finetuner.builder().setBackbone(backbone).setTrainData(train).setValData(val)
 *     .setSettings(settings).setManager(manager).build().run();
 * }</pre>
 */
public final class Finetuner {
  private static final Logger LOG = LoggerFactory.getLogger("org.bevt4j.finetune");

  private final Backbone backbone;
  private final Dataset trainData;
  private final Dataset valData;
  private final FinetuneSettings settings;
  private final NDManager manager;
  private final LoaderSettings loader;
  private final List<FinetuneListener> listeners;
  private final Function<String, Path> paths;
  private final boolean shutdownHook;
  private volatile ShutdownGuard guard;
  private volatile boolean stopEarly;

  private Finetuner(Builder b) {
    this.backbone = Objects.requireNonNull(b.backbone, "backbone");
    this.trainData = Objects.requireNonNull(b.trainData, "training data");
    this.valData = Objects.requireNonNull(b.valData, "validation data");
    this.settings = Objects.requireNonNull(b.settings, "settings");
    this.manager = Objects.requireNonNull(b.manager, "manager");
    this.loader = b.loader;
    this.listeners = List.copyOf(b.listeners);
    this.paths = b.paths;
    this.shutdownHook = b.shutdownHook;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Seeds the engine for deterministic parameter initialisation; call before building the backbone. */
  public static void seedEngine(long seed) {
    Pretrainer.seedEngine(seed);
  }

  /** Asks a running {@link #run()} to stop after the current step, writing a checkpoint. */
  public void requestStop() {
    stopEarly = true;
    ShutdownGuard g = guard;
    if (g != null) {
      g.request();
    }
  }

  /** Trains (or resumes) to the planned number of steps, then validates and writes the report. */
  public FinetuneResult run() {
    checkDevice();
    int classes = numClasses();
    Path runDir = settings.run().dir();
    CheckpointStore store = new CheckpointStore(runDir.resolve("checkpoints"), settings.keepCheckpoints());
    store.cleanLeftovers();
    Checkpoint resume = findResume(store);
    FinetuneState state = null;
    if (resume != null) {
      state = FinetuneState.fromJson(resume.trainer(), resume.dir().toString());
      if (state.numClasses() != classes) {
        throw new BevtException("checkpoint " + resume.dir() + " has a head of " + state.numClasses() + " classes, the run now has " + classes);
      }
      if (state.seed() != settings.seed()) {
        LOG.warn("checkpoint {} was trained with seed {}, the config says {}; continuing with the configured seed (not an exact resume)",
            resume.dir(), state.seed(), settings.seed());
      }
    }
    Engine.getInstance().setRandomSeed(Rngs.intSeed(settings.seed(), Rngs.INIT, 2));
    FinetuneModel model = new FinetuneModel(backbone, classes, settings.headDropout(), settings.pooling(), manager);
    if (resume != null) {
      model.restore(resume.model());
      LOG.info("resumed from {} (step {})", resume.dir(), state.step());
    } else {
      initBackbone(model);
    }
    LayerIds ids = LayerIds.of(model.namedParameters().keySet(), settings.patchMergingIsLayer());
    double decay = settings.optimizer().layerDecay();
    List<OptimParam> params = ParamGroups.build(model.trainableParameters(), settings.optimizer().weightDecay(), settings.optimizer().noDecay(),
        settings.optimizer().noDecay1d(), name -> ids.scale(name, decay));
    logParameters(params, ids, decay);
    TrainLoop loop = new TrainLoop(model, settings, trainData, valData, loader, manager, store, listeners, runDir);
    try (ShutdownGuard g = new ShutdownGuard(shutdownHook, Pretrainer.STOP_GRACE);
        AdamW opt = new AdamW(params, settings.optimizer().beta1(), settings.optimizer().beta2(), settings.optimizer().eps(),
            settings.optimizer().implementation(), manager)) {
      guard = g;
      if (stopEarly) {
        g.request();
      }
      try {
        return loop.run(opt, g, resume, state, settings.initFrom(), ids, decay);
      } finally {
        guard = null;
        renderPlots(runDir);
      }
    }
  }

  private void checkDevice() {
    Device device = manager.getDevice();
    for (Param p : backbone.namedParameters().values()) {
      if (p.isInitialized() && !p.array().getDevice().equals(device)) {
        throw new BevtException("the backbone's parameters are on " + p.array().getDevice() + " but the fine-tuner's manager is on " + device
            + "; build the backbone on the training device");
      }
      break;
    }
    if (trainData.stream() != settings.stream() || valData.stream() != settings.stream()) {
      throw new BevtException("the datasets feed the " + trainData.stream().configName() + " / " + valData.stream().configName()
          + " streams but bevt.finetune.train-data feeds " + settings.stream().configName());
    }
  }

  private int numClasses() {
    int fromData = trainData.classes().size();
    int configured = settings.numClasses();
    if (configured == 0) {
      if (fromData < 2) {
        throw new BevtException("the training data reports " + fromData + " classes; set bevt.finetune.num-classes");
      }
      return fromData;
    }
    if (fromData > 0 && configured < fromData) {
      throw new BevtException("bevt.finetune.num-classes = " + configured + " but the training data has " + fromData + " classes " + abbreviate(trainData.classes()));
    }
    if (fromData > 0 && configured > fromData) {
      LOG.warn("bevt.finetune.num-classes = {} exceeds the {} classes of the training data; the extra outputs never see a label", configured, fromData);
    }
    return configured;
  }

  private void initBackbone(FinetuneModel model) {
    String init = settings.initFrom();
    if (init == null) {
      LOG.info("backbone: initial weights as built (bevt.finetune.init-from = null)");
      return;
    }
    Path p = paths.apply(init);
    BindReport r = BackboneInit.apply(model.backbone(), BackboneInit.load(p), settings.initStrict());
    LOG.info("backbone initialised from {}: {} tensors loaded, {} ignored (not in the backbone: {})", p, r.loaded().size(), r.unexpected().size(),
        abbreviate(r.unexpected()));
    if (!r.missing().isEmpty()) {
      LOG.warn("backbone parameters not in {} keep their initial values ({}): {}", p, r.missing().size(), abbreviate(r.missing()));
    }
  }

  private static void logParameters(List<OptimParam> params, LayerIds ids, double decay) {
    long decayed = params.stream().filter(p -> p.weightDecay() > 0).count();
    double min = params.stream().mapToDouble(OptimParam::lrScale).min().orElse(1);
    long values = 0;
    for (OptimParam p : params) {
      values += p.param().shape().size();
    }
    LOG.info("{} parameter tensors ({} values, {} with weight decay); layer-wise LR decay {} over {} layers ({} names), smallest scale {}",
        params.size(), values, decayed, decay, ids.top() + 1, ids.family().name().toLowerCase(java.util.Locale.ROOT),
        String.format(java.util.Locale.ROOT, "%.3g", min));
    if (LOG.isDebugEnabled()) {
      for (OptimParam p : params) {
        LOG.debug("  {}: layer {}, lr x{}, wd {}", p.name(), ids.layerOf(p.name()), String.format(java.util.Locale.ROOT, "%.4g", p.lrScale()),
            p.weightDecay());
      }
    }
  }

  private Checkpoint findResume(CheckpointStore store) {
    return switch (settings.run().resume()) {
      case NONE -> {
        if (!store.list().isEmpty()) {
          LOG.warn("{} already holds checkpoints; resume = none starts from scratch and replaces them as it goes (use resume = auto to continue)",
              store.dir());
        }
        yield null;
      }
      case AUTO -> store.latestValid().orElse(null);
      case PATH -> CheckpointStore.resolve(settings.run().resumePath(), settings.keepCheckpoints());
    };
  }

  private static void renderPlots(Path runDir) {
    try {
      List<Path> files = FinetunePlots.render(runDir);
      if (!files.isEmpty()) {
        LOG.info("plots written to {}", runDir.resolve(FinetunePlots.DIR));
      }
    } catch (IOException | RuntimeException | Error e) {
      LOG.warn("cannot render plots: {}", e.toString());
    }
  }

  static String abbreviate(List<String> keys) {
    return keys.size() <= 8 ? keys.toString() : keys.subList(0, 8) + " ... and " + (keys.size() - 8) + " more";
  }

  /** Builder: {@code set*} for required values, {@code opt*} for optional ones. */
  public static final class Builder {
    private Backbone backbone;
    private Dataset trainData;
    private Dataset valData;
    private FinetuneSettings settings;
    private NDManager manager;
    private LoaderSettings loader = LoaderSettings.defaults();
    private final List<FinetuneListener> listeners = new ArrayList<>();
    private Function<String, Path> paths = Path::of;
    private boolean shutdownHook = true;

    private Builder() {}

    /** The backbone, built on the training device (seed the engine first). */
    public Builder setBackbone(Backbone b) {
      this.backbone = b;
      return this;
    }

    /** Labelled training data in train mode. */
    public Builder setTrainData(Dataset d) {
      this.trainData = d;
      return this;
    }

    /** Labelled validation data in eval mode (multi-view samples). */
    public Builder setValData(Dataset d) {
      this.valData = d;
      return this;
    }

    public Builder setSettings(FinetuneSettings s) {
      this.settings = s;
      return this;
    }

    /** The long-lived manager (on the training device) owning the head and optimizer state. */
    public Builder setManager(NDManager m) {
      this.manager = m;
      return this;
    }

    /** Loader threads, prefetch, order and error policy (default: {@link LoaderSettings#defaults()}). */
    public Builder optLoaderSettings(LoaderSettings l) {
      this.loader = l;
      return this;
    }

    public Builder optListener(FinetuneListener l) {
      this.listeners.add(l);
      return this;
    }

    public Builder optListeners(List<? extends FinetuneListener> l) {
      this.listeners.addAll(l);
      return this;
    }

    /** Resolves {@code init-from} (default: relative to the working directory). */
    public Builder optPathResolver(Function<String, Path> r) {
      this.paths = r;
      return this;
    }

    /** Whether to install the SIGTERM / Ctrl-C hook (default true). */
    public Builder optShutdownHook(boolean install) {
      this.shutdownHook = install;
      return this;
    }

    public Finetuner build() {
      return new Finetuner(this);
    }
  }
}
