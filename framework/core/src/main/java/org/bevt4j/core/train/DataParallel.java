package org.bevt4j.core.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.BevtException;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.dist.Collectives;
import org.bevt4j.core.dist.Communicator;
import org.bevt4j.core.dist.GradientReducer;
import org.bevt4j.core.dist.StateDigest;
import org.bevt4j.core.optim.AdamW;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.Param;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's side of data-parallel training: who this rank is, and the collective steps the
 * training loop takes so that every rank makes the same decisions at the same step (which
 * checkpoint to resume, identical starting weights and optimizer state, when to stop, whether the
 * loss diverged). In a world of one every method is a cheap no-op.
 */
final class DataParallel {
  private static final Logger LOG = LoggerFactory.getLogger("org.bevt4j.train");
  private static final String ERROR = "error:";
  private static final String OK = "ok:";

  final Communicator comm;
  final long bucketBytes;

  DataParallel(Communicator comm, long bucketBytes) {
    this.comm = comm;
    this.bucketBytes = bucketBytes;
  }

  int rank() {
    return comm.rank();
  }

  int world() {
    return comm.worldSize();
  }

  boolean isRoot() {
    return comm.rank() == 0;
  }

  /** Whether more than one rank trains. */
  boolean active() {
    return comm.worldSize() > 1;
  }

  /** "rank 1/4: " in a data-parallel job, "" otherwise (a log prefix). */
  String tag() {
    return active() ? "rank " + rank() + "/" + world() + ": " : "";
  }

  /** A gradient reducer for a stage's parameters, or null in a world of one. */
  GradientReducer reducer(List<Param> params) {
    return active() ? new GradientReducer(comm, params, bucketBytes) : null;
  }

  /** True on every rank when a stop was requested on any rank. */
  boolean agreeStop(boolean local) {
    return Collectives.any(comm, local);
  }

  /**
   * The checkpoint to resume, chosen by rank 0 ({@code pick}) and opened by every rank from the
   * path rank 0 names; null when starting from scratch. Every rank fails alike when rank 0 cannot
   * choose or some rank cannot read the checkpoint (the run directory must be shared).
   */
  Checkpoint agreeResume(java.util.function.Supplier<Checkpoint> pick) {
    if (!active()) {
      return pick.get();
    }
    Checkpoint mine = null;
    RuntimeException rootError = null;
    String msg = null;
    if (isRoot()) {
      try {
        mine = pick.get();
        msg = OK + (mine == null ? "" : mine.dir().toAbsolutePath().toString());
      } catch (RuntimeException e) {
        rootError = e;
        msg = ERROR + e.getMessage();
      }
    }
    String chosen = Collectives.broadcastString(comm, msg);
    if (chosen.startsWith(ERROR)) {
      if (rootError != null) {
        throw rootError;
      }
      throw new BevtException("rank 0 could not choose the checkpoint to resume: " + chosen.substring(ERROR.length()));
    }
    String path = chosen.substring(OK.length());
    if (path.isEmpty()) {
      return null;
    }
    String problem = null;
    if (!isRoot()) {
      try {
        mine = CheckpointStore.open(Path.of(path));
      } catch (RuntimeException e) {
        problem = e.getMessage();
        LOG.error("{}cannot open checkpoint {} chosen by rank 0: {}", tag(), path, problem);
      }
    }
    if (Collectives.any(comm, problem != null)) {
      throw new BevtException(
          (problem != null ? "rank " + rank() + " cannot open checkpoint " + path + ": " + problem : "a rank cannot open checkpoint " + path)
              + "; every rank reads the checkpoint rank 0 chose, so the run directory must be on a file system all ranks share"
              + " (see that rank's log.rank<N>.txt)");
    }
    return mine;
  }

  /** Refuses to resume a checkpoint written by another number of ranks. */
  void checkWorldSize(TrainerState state, Checkpoint ck) {
    if (state.worldSize() != world()) {
      throw new BevtConfigException(
          "bevt.train.distributed", "",
          "checkpoint " + ck.dir() + " was written by a job of " + state.worldSize() + " rank(s), but this job has " + world()
              + " rank(s); each rank's data-order cursor and the effective batch size depend on the world size",
          "resume with the same number of ranks (mpirun -np " + state.worldSize() + "), or start a new run (bevt.run.resume = none) "
              + "whose first stage has init = " + ck.dir().resolve(Checkpoint.MODEL));
    }
  }

  /** Makes every rank hold rank 0's model parameters and buffers. */
  void broadcastModel(MaskedModelingModel model) {
    if (!active()) {
      return;
    }
    Map<String, TensorData> state = Collectives.broadcastTensors(comm, isRoot() ? model.snapshot() : Map.of(), bucketBytes);
    if (!isRoot()) {
      model.restore(new StateDict(state, "rank 0's model"));
    }
  }

  /** Makes every rank hold rank 0's optimizer state (after a resume). */
  void broadcastOptimizer(AdamW opt) {
    if (!active()) {
      return;
    }
    Map<String, TensorData> state = Collectives.broadcastTensors(comm, isRoot() ? opt.state() : Map.of(), bucketBytes);
    String meta = Collectives.broadcastString(comm, isRoot() ? opt.stateMetadata().getOrDefault("updates", "0") : null);
    if (!isRoot()) {
      opt.load(new StateDict(state, "rank 0's optimizer state", Map.of("updates", meta)));
    }
  }

  /**
   * Proves that every rank holds exactly rank 0's model (parameters and buffers, bitwise) by
   * comparing a {@link StateDigest} with rank 0's. Replicas must never diverge (all ranks apply the
   * same averaged gradients to the same weights); if they do, every rank stops here with an error
   * before another checkpoint is written. Called before each checkpoint.
   */
  void checkReplicas(MaskedModelingModel model, long step) {
    if (!active()) {
      return;
    }
    String mine = StateDigest.of(model.snapshot());
    String root = Collectives.broadcastString(comm, isRoot() ? mine : null);
    boolean differs = !mine.equals(root);
    long ranks = Math.round(sum(new double[] {differs ? 1 : 0})[0]);
    if (ranks > 0) {
      if (differs) {
        LOG.error("{}step {}: this rank's model (digest {}) differs from rank 0's ({})", tag(), step, mine, root);
      }
      throw new BevtException("data-parallel replicas diverged at step " + step + ": the model of " + ranks + " of " + world()
          + " rank(s) differs from rank 0's (every rank should apply the same averaged gradients to the same weights;"
          + " see the ranks' logs); the last checkpoint was written before the divergence was detected");
    }
    LOG.info("{}step {}: replicas identical, model digest {}", tag(), step, mine);
  }

  /** Waits for every rank (e.g. until rank 0 has written a checkpoint). */
  void barrier() {
    if (active()) {
      comm.barrier();
    }
  }

  /** Element-wise sums over the ranks, in place. */
  double[] sum(double[] values) {
    return Collectives.sum(comm, values);
  }
}
