package org.bevt4j.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.MetricsSink;
import org.bevt4j.api.TrainingEvent;
import org.bevt4j.api.TrainingHook;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.dist.Communicator;
import org.bevt4j.core.dist.DistributedSettings;
import org.bevt4j.core.dist.LocalCommunicator;
import org.bevt4j.core.metrics.CsvMetricsSink;
import org.bevt4j.core.metrics.JsonlMetricsSink;
import org.bevt4j.core.metrics.MetricsHistory;
import org.bevt4j.core.metrics.TrainingPlots;
import org.bevt4j.core.optim.LossScaler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic dual-path BEVT pretrainer: runs the configured stages over the given components,
 * with exact resume, atomic checkpoints, metrics, plots and graceful stop. Nothing here knows a
 * concrete backbone, decoder, tokenizer, masker or dataset.
 *
 * <pre>{@code
 * Pretrainer.seedEngine(seed);            // before building the components (deterministic init)
 * PretrainComponents c = ...;             // built by the host from the config
 * PretrainResult r = Pretrainer.run(config, c, manager);
 * }</pre>
 *
 * <p>Data-parallel ({@link Builder#optCommunicator}): every rank runs this trainer on its own shard
 * of the data; gradients are averaged across ranks every step; only rank 0 writes checkpoints,
 * metrics, plots and runs the hooks; a run resumes only with the world size that wrote it.
 */
public final class Pretrainer {
  private static final Logger LOG = LoggerFactory.getLogger("org.bevt4j.train");
  /** How long a SIGTERM / Ctrl-C waits for the current step and the final checkpoint. */
  public static final Duration STOP_GRACE = Duration.ofMinutes(5);

  private final PretrainComponents components;
  private final TrainSettings settings;
  private final RunSettings run;
  private final NDManager manager;
  private final List<TrainingListener> listeners;
  private final List<MetricsSink> sinks;
  private final List<TrainingHook> hooks;
  private final BatchSourceFactory sourceFactory;
  private final Function<String, Path> paths;
  private final boolean shutdownHook;
  private final LossScaler forcedScaler;
  private final DataParallel dp;
  private final java.util.function.Consumer<java.util.Map<String, org.bevt4j.io.TensorData>> finalState;
  private volatile ShutdownGuard guard;
  private volatile boolean stopEarly;

  private Pretrainer(Builder b) {
    this.components = Objects.requireNonNull(b.components, "components");
    this.settings = Objects.requireNonNull(b.settings, "train settings");
    this.run = Objects.requireNonNull(b.run, "run settings");
    this.manager = Objects.requireNonNull(b.manager, "manager");
    this.listeners = List.copyOf(b.listeners);
    this.sinks = b.sinks == null ? List.of(new JsonlMetricsSink(), new CsvMetricsSink()) : List.copyOf(b.sinks);
    this.hooks = List.copyOf(b.hooks);
    this.dp = new DataParallel(b.comm, b.bucketBytes);
    this.sourceFactory = b.sourceFactory != null ? b.sourceFactory : BatchSourceFactory.simple(b.comm.rank(), b.comm.worldSize());
    this.finalState = b.finalState;
    this.paths = b.paths;
    this.shutdownHook = b.shutdownHook;
    this.forcedScaler = b.forcedScaler;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Main-friendly entry: settings from {@code bevt.train} / {@code bevt.run} of a resolved config,
   * default jsonl + csv metrics, a SIGTERM hook; saves {@code config.resolved.conf} in the run dir.
   */
  public static PretrainResult run(Config root, PretrainComponents components, NDManager manager, TrainingListener... listeners) {
    RunSettings rs = RunSettings.from(root);
    try {
      Files.createDirectories(rs.dir());
      Files.writeString(
          rs.dir().resolve("config.resolved.conf"),
          root.root().render(ConfigRenderOptions.defaults().setOriginComments(true).setJson(false)),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + rs.dir().resolve("config.resolved.conf") + ": " + e.getMessage(), e);
    }
    return builder()
        .setComponents(components)
        .setTrainSettings(TrainSettings.from(root))
        .setRunSettings(rs)
        .setManager(manager)
        .optListeners(List.of(listeners))
        .build()
        .run();
  }

  /** Seeds the engine for deterministic parameter initialisation; call before building components. */
  public static void seedEngine(long seed) {
    Engine.getInstance().setRandomSeed(Rngs.intSeed(seed, Rngs.INIT, 0));
  }

  /** The device {@code bevt.train.device} stands for on this machine. */
  public static Device resolveDevice(TrainSettings.DeviceChoice choice) {
    int gpus = Engine.getInstance().getGpuCount();
    return switch (choice) {
      case CPU -> Device.cpu();
      case AUTO -> gpus > 0 ? org.bevt4j.core.Devices.gpu(gpus) : Device.cpu();
      case GPU -> {
        if (gpus == 0) {
          throw new BevtConfigException("bevt.train.device", "", "is gpu but no GPU is visible to the engine", "use device = auto or cpu");
        }
        yield org.bevt4j.core.Devices.gpu(gpus);
      }
    };
  }

  /** Asks a running {@link #run()} to stop after the current step, writing a checkpoint. */
  public void requestStop() {
    stopEarly = true;
    ShutdownGuard g = guard;
    if (g != null) {
      g.request();
    }
  }

  /** Runs (or resumes) every stage. */
  public PretrainResult run() {
    Device device = resolveDevice(settings.device());
    StartupChecks.check(components, settings, manager, device);
    Path runDir = run.dir();
    CheckpointStore store = new CheckpointStore(runDir.resolve("checkpoints"), settings.keepCheckpoints());
    if (dp.isRoot()) {
      store.cleanLeftovers();
    }
    Engine.getInstance().setRandomSeed(Rngs.intSeed(settings.seed(), Rngs.INIT, 1));
    MaskedModelingModel model = new MaskedModelingModel(components, manager);
    Checkpoint resume = dp.agreeResume(() -> findResume(store));
    TrainerState state = null;
    if (resume != null) {
      state = TrainerState.fromJson(resume.trainer());
      StartupChecks.checkResume(state, settings, resume);
      dp.checkWorldSize(state, resume);
      model.restore(resume.model());
      LOG.info("resumed from {} (step {}, stage {})", resume.dir(), resume.step(), state.stageName());
    }
    try (ShutdownGuard g = new ShutdownGuard(shutdownHook, STOP_GRACE)) {
      guard = g;
      if (stopEarly) {
        g.request();
      }
      RunContext ctx = new RunContext(model, settings, runDir, manager, store, listeners, hooks, g, sourceFactory, paths, forcedScaler, dp);
      ctx.globalStep = state == null ? 0 : state.globalStep();
      openWriters(ctx, resume);
      try {
        ctx.fire(TrainingEvent.Phase.RUN_START, null, 0);
        int first = 0;
        if (state != null) {
          first = state.stageComplete() ? state.stageIndex() + 1 : state.stageIndex();
        }
        boolean completed = true;
        for (int i = first; i < settings.stages().size() && completed; i++) {
          boolean inside = state != null && i == state.stageIndex() && !state.stageComplete();
          StageLoop loop = new StageLoop(ctx, settings.stages().get(i), i, settings.stages().size());
          completed = loop.run(inside ? state : null, inside ? resume.optimizer() : null);
        }
        PretrainResult.Status status = completed ? PretrainResult.Status.COMPLETED : PretrainResult.Status.STOPPED;
        LOG.info("{}pretraining {} at step {}{}", dp.tag(), completed ? "finished" : "stopped", ctx.globalStep,
            ctx.lastCheckpoint != null ? "; last checkpoint " + ctx.lastCheckpoint : "");
        if (finalState != null) {
          finalState.accept(model.snapshot());
        }
        ctx.fire(TrainingEvent.Phase.RUN_END, null, 0);
        return new PretrainResult(status, ctx.globalStep, resume == null ? null : resume.dir(), ctx.lastCheckpoint, ctx.lastMetrics);
      } finally {
        ctx.closeWriters();
        if (dp.isRoot()) {
          renderPlots(runDir);
        }
        guard = null;
      }
    }
  }

  private Checkpoint findResume(CheckpointStore store) {
    return switch (run.resume()) {
      case NONE -> {
        if (dp.isRoot() && !store.list().isEmpty()) {
          LOG.warn("{} already holds checkpoints; resume = none starts from scratch and replaces them as it goes (use resume = auto to continue)",
              store.dir());
        }
        yield null;
      }
      case AUTO -> store.latestValid().orElse(null);
      case PATH -> CheckpointStore.resolve(run.resumePath(), settings.keepCheckpoints());
    };
  }

  private void openWriters(RunContext ctx, Checkpoint resume) {
    if (!dp.isRoot()) {
      return; // rank 0 writes the metrics (of all ranks: the logged numbers are global)
    }
    try {
      Files.createDirectories(ctx.runDir);
      if (resume != null) {
        MetricsHistory.truncateAfter(ctx.runDir, resume.step());
      }
      for (MetricsSink s : sinks) {
        ctx.writers.add(s.open(ctx.runDir, resume != null));
      }
    } catch (IOException e) {
      ctx.closeWriters();
      throw new UncheckedIOException("cannot open metrics output in " + ctx.runDir + ": " + e.getMessage(), e);
    }
  }

  private static void renderPlots(Path runDir) {
    try {
      List<Path> files = TrainingPlots.render(runDir);
      if (!files.isEmpty()) {
        LOG.info("plots written to {}", runDir.resolve(TrainingPlots.DIR));
      }
    } catch (IOException | RuntimeException | Error e) {
      LOG.warn("cannot render plots: {}", e.toString());
    }
  }

  /** Builder: {@code set*} for required values, {@code opt*} for optional ones. */
  public static final class Builder {
    private PretrainComponents components;
    private TrainSettings settings;
    private RunSettings run;
    private NDManager manager;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private List<MetricsSink> sinks;
    private final List<TrainingHook> hooks = new ArrayList<>();
    private BatchSourceFactory sourceFactory;
    private Function<String, Path> paths = Path::of;
    private boolean shutdownHook = true;
    private LossScaler forcedScaler;
    private Communicator comm = new LocalCommunicator();
    private long bucketBytes = DistributedSettings.none().bucketBytes();
    private java.util.function.Consumer<java.util.Map<String, org.bevt4j.io.TensorData>> finalState;

    private Builder() {}

    public Builder setComponents(PretrainComponents c) {
      this.components = c;
      return this;
    }

    public Builder setTrainSettings(TrainSettings s) {
      this.settings = s;
      return this;
    }

    public Builder setRunSettings(RunSettings r) {
      this.run = r;
      return this;
    }

    /** The long-lived manager (on the training device) owning the head and optimizer state. */
    public Builder setManager(NDManager m) {
      this.manager = m;
      return this;
    }

    public Builder optListeners(List<TrainingListener> l) {
      this.listeners.addAll(l);
      return this;
    }

    public Builder optListener(TrainingListener l) {
      this.listeners.add(l);
      return this;
    }

    /** Metrics sinks (default: jsonl and csv). */
    public Builder optMetricsSinks(List<MetricsSink> s) {
      this.sinks = s;
      return this;
    }

    public Builder optHooks(List<TrainingHook> h) {
      this.hooks.addAll(h);
      return this;
    }

    /**
     * Where batches come from (default: the single-threaded {@link DatasetBatchSource}, reading this
     * rank's shard). In a data-parallel job the factory must open this rank's shard of the data, with
     * shards interleaved as {@link org.bevt4j.core.data.loader.EpochOrder} does.
     */
    public Builder optBatchSourceFactory(BatchSourceFactory f) {
      this.sourceFactory = f;
      return this;
    }

    /** Resolves stage {@code init} weight paths (default: relative to the working directory). */
    public Builder optPathResolver(Function<String, Path> r) {
      this.paths = r;
      return this;
    }

    /** Whether to install the SIGTERM / Ctrl-C hook (default true). */
    public Builder optShutdownHook(boolean install) {
      this.shutdownHook = install;
      return this;
    }

    /**
     * Data-parallel training: this process is {@code comm.rank()} of {@code comm.worldSize()}
     * (default: a {@link LocalCommunicator}, one process).
     */
    public Builder optCommunicator(Communicator c) {
      this.comm = Objects.requireNonNull(c, "communicator");
      return this;
    }

    /** Gradient all-reduce bucket size (default 25 MiB, {@code bevt.train.distributed.bucket-mb}). */
    public Builder optBucketBytes(long bytes) {
      if (bytes < 4) {
        throw new IllegalArgumentException("bucket size must be >= 4 bytes, got " + bytes);
      }
      this.bucketBytes = bytes;
      return this;
    }

    /** Test seam: receives this rank's final model state when the run returns normally. */
    Builder optFinalState(java.util.function.Consumer<java.util.Map<String, org.bevt4j.io.TensorData>> c) {
      this.finalState = c;
      return this;
    }

    /** Test seam: force dynamic loss scaling with this scaler regardless of precision. */
    Builder optLossScaler(LossScaler s) {
      this.forcedScaler = s;
      return this;
    }

    public Pretrainer build() {
      return new Pretrainer(this);
    }
  }
}
