package org.bevt4j.cli.commands;

import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.bevt4j.cli.ErrorHandler;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.cli.logging.LogFiles;
import org.bevt4j.cli.logging.LogSetup;
import org.bevt4j.cli.progress.Progress;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.dist.Communicator;
import org.bevt4j.core.dist.DistributedSettings;
import org.bevt4j.core.dist.MpiEnvironment;
import org.bevt4j.core.train.PretrainJob;
import org.bevt4j.core.train.PretrainResult;
import org.bevt4j.core.train.ProgressTrainingListener;
import org.bevt4j.core.train.ShardPlan;
import org.bevt4j.core.train.StageSettings;
import org.bevt4j.core.train.TrainSettings;
import org.bevt4j.core.train.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bevt4j pretrain}: BEVT dual-path pretraining (image stream, then joint video + image
 * streams). With {@code bevt.train.distributed.backend = mpi}, run one process per rank under
 * {@code mpirun} or {@code srun} (docs/distributed.md): rank 0 writes the run directory, the other
 * ranks log to {@code log.rank<N>.txt}, and a failing rank aborts the whole job.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true, description = "BEVT dual-path pretraining (image stream, then joint video + image streams).")
public final class PretrainCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger("org.bevt4j.train");
  private static final int SHOWN_INDICES = 16;

  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Mixin RunOptions run;

  @Option(names = "--dry-run", description = "Validate the configuration, print the plan (stages, streams, batch sizes, each rank's data shard) and stop.")
  boolean dryRun;

  @Option(names = "--world-size", paramLabel = "N",
      description = "With --dry-run: print the shard plan of every rank of an N-rank job (default: this rank under an MPI launcher, else 1 rank).")
  Integer worldSize;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    try (BevtRuntime rt = Runtimes.open(spec, config, run.asSets())) {
      rt.validate();
      TrainSettings settings = TrainSettings.from(rt.config());
      DistributedSettings dist = DistributedSettings.from(rt.config());
      if (dryRun) {
        printPlan(out, rt, settings, dist);
        return ExitCodes.OK;
      }
      Communicator comm = dist.open(MpiEnvironment.current());
      return train(rt, comm, out);
    }
  }

  private int train(BevtRuntime rt, Communicator comm, PrintWriter out) throws Exception {
    boolean root = comm.isRoot();
    if (!root) {
      LogSetup.consoleThreshold(Level.WARN); // the full log of this rank goes to its own file
    }
    Path dir = root ? rt.prepareRunDir() : rt.runDir();
    LogFiles.Attached log = LogFiles.attach(dir, LogFiles.fileNameForRank(comm.rank()));
    try {
      if (comm.worldSize() > 1) {
        LOG.info("data-parallel rank {} of {}; this rank logs to {}", comm.rank(), comm.worldSize(), log.file());
      }
      List<TrainingListener> listeners = root ? List.of(new ProgressTrainingListener(Progress.forEnvironment())) : List.of();
      PretrainResult r = PretrainJob.run(rt, listeners, comm);
      if (root) {
        out.println(String.format(Locale.ROOT, "pretraining %s after %d steps; run dir %s%s",
            r.status() == PretrainResult.Status.COMPLETED ? "completed" : "stopped (checkpoint written)",
            r.globalStep(), dir, r.lastCheckpoint() == null ? "" : "; last checkpoint " + r.lastCheckpoint()));
        if (r.last() != null) {
          out.println(String.format(Locale.ROOT, "final loss %.4f (video %.4f, image %.4f), mask accuracy video %.3f image %.3f",
              r.last().loss(), r.last().videoLoss(), r.last().imageLoss(), r.last().videoAccuracy(), r.last().imageAccuracy()));
        }
        out.flush();
      }
    } catch (Exception e) {
      if (comm.worldSize() > 1) {
        // the other ranks may be waiting in a collective: report, then take the whole job down
        int code = new ErrorHandler().handleExecutionException(e, spec.commandLine(), null);
        LOG.error("rank {} of {} failed, aborting the job: {}", comm.rank(), comm.worldSize(), e.toString());
        log.close();
        comm.abort(code);
      }
      throw e;
    } finally {
      log.close();
    }
    comm.close();
    return ExitCodes.OK;
  }

  private void printPlan(PrintWriter out, BevtRuntime rt, TrainSettings settings, DistributedSettings dist) {
    out.println("run dir: " + PretrainJob.runDir(rt));
    out.println("backbone: " + rt.config().getString("bevt.model.backbone.type")
        + ", tokenizer: " + rt.config().getString("bevt.model.tokenizer.type"));
    for (StageSettings st : settings.stages()) {
      out.println(String.format(Locale.ROOT, "stage %-8s streams %s, %s", st.name(), st.streams(),
          st.steps() > 0 ? st.steps() + " steps" : st.epochs() + " epochs"));
    }
    out.println(String.format(Locale.ROOT, "batch: %d clips + %d images per micro-batch, accumulate %d",
        settings.videoBatch(), settings.imageBatch(), settings.accumulate()));
    MpiEnvironment env = MpiEnvironment.current();
    int world;
    List<Integer> ranks;
    if (worldSize != null) {
      if (worldSize < 1) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--world-size must be >= 1, got " + worldSize);
      }
      world = worldSize;
      ranks = IntStream.range(0, world).boxed().toList();
    } else if (env.launched()) {
      world = env.size();
      ranks = List.of(env.rank());
    } else {
      world = 1;
      ranks = List.of(0);
    }
    out.println(String.format(Locale.ROOT, "distributed: backend %s, world size %d%s, gradient buckets of %s MiB",
        dist.backend().name().toLowerCase(Locale.ROOT), world,
        env.launched() ? ", this process is rank " + env.rank() + " (" + env.source() + ")" : "", trim(dist.bucketMb())));
    if (world > 1 && dist.backend() == DistributedSettings.Backend.NONE) {
      out.println("note: bevt.train.distributed.backend is none; set it to mpi to train with " + world + " ranks");
    }
    List<ShardPlan> plans;
    try {
      plans = PretrainJob.shardPlans(rt, world, new ArrayList<>(ranks));
    } catch (RuntimeException e) {
      out.println("shard plan unavailable: cannot open the datasets: " + e.getMessage());
      out.flush();
      return;
    }
    for (ShardPlan p : plans) {
      out.println(p.describe(SHOWN_INDICES));
    }
    out.flush();
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
