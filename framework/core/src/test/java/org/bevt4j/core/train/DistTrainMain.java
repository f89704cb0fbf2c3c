package org.bevt4j.core.train;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.loader.EpochOrder;
import org.bevt4j.core.dist.Communicator;
import org.bevt4j.core.dist.MpiCommunicator;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.TensorData;

/**
 * One rank of a data-parallel tiny pretraining run, started by {@link DistributedTrainingTest} under
 * {@code mpirun}: {@code <runDir> <steps> <resume> <sleepMsPerStep> <mode>}, mode {@code normal} or
 * {@code nan} (rank 1 meets a NaN input at step {@link #NAN_STEP}). Writes {@code <runDir>.rank<r>.pid}
 * first, prints {@code STEP n rank r} after every step and {@code DONE rank r <status> <step>} at the
 * end, and this rank's final weights to {@code <runDir>.rank<r>.safetensors}. Failures are printed
 * and abort the job (as the CLI does).
 */
public final class DistTrainMain {
  /** Clips / images per micro-batch on each rank (a single process uses world x these). */
  static final int VIDEO_BATCH = 2;
  static final int IMAGE_BATCH = 4;
  static final int VIDEO_SAMPLES = 16;
  static final int IMAGE_SAMPLES = 32;
  static final long NAN_STEP = 3;

  private DistTrainMain() {}

  /** Tiny config of a {@code world}-rank job: per-rank batches; a single process gets world x. */
  static Config config(Path run, long steps, String resume, int batchMultiplier) {
    return Tiny.config(run,
        "bevt.train { stages = [{ name = j, streams = [video, image], steps = " + steps + " }], accumulate = 2,"
            + " checkpoint-every = " + Integer.getInteger("dbg.ckpt", 2) + ", keep-checkpoints = 10, log-every = 1,"
            + " batch-size { video = " + VIDEO_BATCH * batchMultiplier + ", image = " + IMAGE_BATCH * batchMultiplier + " } }\n"
            + "bevt.run.resume = " + resume);
  }

  /** Deterministic-forward components (no dropout), identical on every rank and in a single process. */
  static PretrainComponents components(NDManager m) {
    return Tiny.components(m, 21, VIDEO_SAMPLES, IMAGE_SAMPLES, 0.0, 2);
  }

  /** The trainer of rank {@code comm.rank()}: the multi-threaded loader on this rank's shard. */
  static Pretrainer.Builder trainer(PretrainComponents c, Config cfg, NDManager m, Communicator comm) {
    var loader = org.bevt4j.core.data.loader.LoaderSettings.defaults().withWorkers(1);
    return Tiny.trainer(c, cfg, m)
        .optCommunicator(comm)
        .optBucketBytes(4096) // several buckets even for the tiny model
        .optBatchSourceFactory(LoaderBatchSource.factory(loader, comm.rank(), comm.worldSize()));
  }

  public static void main(String[] args) throws Exception {
    Path run = Path.of(args[0]);
    long steps = Long.parseLong(args[1]);
    long sleep = Long.parseLong(args[3]);
    String mode = args[4];
    MpiCommunicator comm = MpiCommunicator.get();
    int rank = comm.rank();
    Files.createDirectories(run.getParent());
    Files.writeString(run.resolveSibling(run.getFileName() + ".rank" + rank + ".pid"), Long.toString(ProcessHandle.current().pid()));
    Config cfg = config(run, steps, args[2], 1);
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = components(m);
      if (mode.equals("nan") && rank == 1) {
        // the first clip rank 1 reads in step NAN_STEP (micro-batch (NAN_STEP - 1) x accumulate)
        long micro = (NAN_STEP - 1) * 2;
        long perEpoch = VIDEO_SAMPLES / comm.worldSize() / VIDEO_BATCH;
        long seed = Rngs.derive(TrainSettings.from(cfg).seed(), Rngs.DATA, 0, StreamKind.VIDEO.ordinal());
        long[] slice = new EpochOrder(VIDEO_SAMPLES, seed, true, rank, comm.worldSize()).slice(micro / perEpoch);
        ((TinyDataset) c.videoDataset()).nanIndex = slice[(int) (micro % perEpoch) * VIDEO_BATCH];
      }
      Map<String, TensorData>[] last = new Map[1];
      PretrainResult r = trainer(c, cfg, m, comm)
          .optShutdownHook(true)
          .optFinalState(s -> last[0] = s)
          .optListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics s) {
              System.out.println("STEP " + s.step() + " rank " + rank);
              System.out.flush();
              try {
                Thread.sleep(sleep);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          })
          .build()
          .run();
      SafeTensors.write(run.resolveSibling(run.getFileName() + ".rank" + rank + ".safetensors"), last[0], Map.of());
      System.out.println("DONE rank " + rank + " " + r.status() + " " + r.globalStep());
      System.out.flush();
    } catch (TrainingDivergedException e) {
      // every rank diverges at the same step (agreed in the step): report, then end the job together
      System.out.println("DIVERGED rank " + rank + " step " + e.step() + ": " + e.getMessage());
      System.out.flush();
      comm.close();
      System.exit(4);
    } catch (Throwable e) {
      System.out.println("FAILED rank " + rank + ": " + e);
      e.printStackTrace(System.out);
      System.out.flush();
      comm.abort(5);
    }
    comm.close();
  }
}
