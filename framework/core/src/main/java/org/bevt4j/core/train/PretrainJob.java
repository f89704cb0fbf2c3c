package org.bevt4j.core.train;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.Masker;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.bevt4j.core.dist.Communicator;
import org.bevt4j.core.dist.DistributedSettings;
import org.bevt4j.core.dist.LocalCommunicator;

/**
 * {@code bevt4j pretrain} as a library call: from an opened, validated {@link BevtRuntime}, build
 * the tokenizer, the backbone, the decoders, maskers and datasets of the streams the stages use (the
 * types named in the configuration, nothing concrete here), then run the {@link Pretrainer} with the
 * multi-threaded data loader. Components are built after seeding the engine, so initialisation is
 * deterministic.
 */
public final class PretrainJob {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("org.bevt4j.train");

  private PretrainJob() {}

  /** Builds the components and runs every stage; returns the trainer's result. */
  public static PretrainResult run(BevtRuntime rt, List<TrainingListener> listeners) {
    return run(rt, listeners, new LocalCommunicator());
  }

  /**
   * As {@link #run(BevtRuntime, List)} on one rank of a data-parallel job: the loader reads this
   * rank's shard, gradients are averaged over {@code comm}, and only rank 0 writes the run
   * directory (open {@code comm} with {@link DistributedSettings#open}).
   */
  public static PretrainResult run(BevtRuntime rt, List<TrainingListener> listeners, Communicator comm) {
    TrainSettings settings = TrainSettings.from(rt.config());
    // the run directory as the runtime resolves it (against its working directory), as prepareRunDir wrote it
    RunSettings run = RunSettings.from(rt.config()).withDir(rt.runDir());
    Pretrainer.seedEngine(settings.seed());
    Set<StreamKind> streams = EnumSet.noneOf(StreamKind.class);
    for (StageSettings st : settings.stages()) {
      streams.addAll(st.streams());
    }
    try (RuntimeBuildContext ctx = rt.newBuildContext()) {
      return run(rt, listeners, comm, settings, run, streams, ctx);
    }
  }

  private static PretrainResult run(
      BevtRuntime rt, List<TrainingListener> listeners, Communicator comm, TrainSettings settings, RunSettings run,
      Set<StreamKind> streams, RuntimeBuildContext ctx) {
    Tokenizer tokenizer = rt.buildTokenizer(ctx);
    Backbone backbone = rt.buildBackbone(ctx);
    Decoder imageDecoder = streams.contains(StreamKind.IMAGE) ? rt.buildDecoder(StreamKind.IMAGE, ctx) : null;
    Decoder videoDecoder = streams.contains(StreamKind.VIDEO) ? rt.buildDecoder(StreamKind.VIDEO, ctx) : null;
    Masker imageMasker = streams.contains(StreamKind.IMAGE) ? rt.buildMasker(StreamKind.IMAGE, ctx) : null;
    Masker videoMasker = streams.contains(StreamKind.VIDEO) ? rt.buildMasker(StreamKind.VIDEO, ctx) : null;
    Dataset imageData = streams.contains(StreamKind.IMAGE) ? rt.buildDataset(StreamKind.IMAGE, ctx) : null;
    Dataset videoData = streams.contains(StreamKind.VIDEO) ? rt.buildDataset(StreamKind.VIDEO, ctx) : null;
    PretrainComponents components =
        new PretrainComponents(backbone, imageDecoder, videoDecoder, tokenizer, imageMasker, videoMasker, imageData, videoData);
    LoaderSettings loader = LoaderSettings.parse(rt.config().getConfig("bevt.data.loader"));
    NDManager manager = ctx.manager();
    if (comm.worldSize() > 1) {
      logThreads(comm);
    }
    try {
      List<TrainingListener> all = new ArrayList<>(listeners);
      return Pretrainer.builder()
          .setComponents(components)
          .setTrainSettings(settings)
          .setRunSettings(run)
          .setManager(manager)
          .optListeners(all)
          .optBatchSourceFactory(LoaderBatchSource.factory(loader, comm.rank(), comm.worldSize()))
          .optCommunicator(comm)
          .optBucketBytes(DistributedSettings.from(rt.config()).bucketBytes())
          .optPathResolver(ctx::resolvePath)
          .build()
          .run();
    } finally {
      closeQuietly(imageData);
      closeQuietly(videoData);
    }
  }

  /**
   * The data plan of every stage and stream for the given ranks of a {@code world}-rank job (what
   * {@code pretrain --dry-run} prints): opens the configured datasets to learn their sizes.
   */
  public static List<ShardPlan> shardPlans(BevtRuntime rt, int world, List<Integer> ranks) {
    TrainSettings settings = TrainSettings.from(rt.config());
    LoaderSettings loader = LoaderSettings.parse(rt.config().getConfig("bevt.data.loader"));
    java.util.Map<StreamKind, Long> sizes = new java.util.EnumMap<>(StreamKind.class);
    try (RuntimeBuildContext ctx = rt.newBuildContext()) {
      for (StageSettings st : settings.stages()) {
        for (StreamKind k : st.streams()) {
          if (!sizes.containsKey(k)) {
            try (Dataset d = rt.buildDataset(k, ctx)) {
              sizes.put(k, d.size());
            }
          }
        }
      }
    }
    List<ShardPlan> out = new ArrayList<>();
    for (int i = 0; i < settings.stages().size(); i++) {
      for (StreamKind k : settings.stages().get(i).streams()) {
        for (int r : ranks) {
          out.add(ShardPlan.of(settings, loader, i, k, sizes.get(k), r, world));
        }
      }
    }
    return out;
  }

  /** Under mpirun's default core binding libtorch sees one core: say how many threads it uses. */
  private static void logThreads(Communicator comm) {
    int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
    int cpus = Runtime.getRuntime().availableProcessors();
    LOG.info("rank {} of {}: libtorch uses {} intra-op thread(s), {} CPU(s) available to this process", comm.rank(), comm.worldSize(), threads, cpus);
    if (threads == 1 && cpus == 1) {
      LOG.warn("rank {}: libtorch runs on one thread, probably because mpirun bound this rank to one core; launch with "
          + "mpirun --bind-to none -x OMP_NUM_THREADS=<cores per rank> (docs/distributed.md)", comm.rank());
    }
  }

  /** The run directory the job writes (from {@code bevt.run.dir}). */
  public static Path runDir(BevtRuntime rt) {
    return rt.runDir();
  }

  private static void closeQuietly(Dataset d) {
    if (d != null) {
      d.close();
    }
  }
}
