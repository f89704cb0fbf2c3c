package org.bevt4j.core.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.dist.Communicator;
import org.bevt4j.core.dist.DistributedSettings;
import org.bevt4j.core.dist.MpiEnvironment;
import org.pf4j.RuntimeMode;

/**
 * One rank of a data-parallel pretraining job, started by {@link DistributedTrainingTest} under
 * {@code mpirun}: what {@code bevt4j pretrain --config <conf> --set ...} does on each rank (open the
 * runtime, validate, open the communicator from {@code bevt.train.distributed}, rank 0 prepares the
 * run directory, {@link PretrainJob#run} with the configured components, abort the whole job when a
 * rank fails), on the host-class-path {@link TinyExtensions} instead of plugins.
 *
 * <p>Arguments: {@code <config file> <sleep ms per step> [--set assignments...]}. Writes {@code
 * <config>.rank<r>.pid} first, prints {@code STEP n rank r} after every step (then sleeps, so that a
 * test can act mid-run) and {@code DONE rank r <status> <step>} at the end.
 */
public final class DistTrainMain {
  private DistTrainMain() {}

  public static void main(String[] args) throws Exception {
    Path conf = Path.of(args[0]).toAbsolutePath();
    long sleep = Long.parseLong(args[1]);
    List<String> sets = Arrays.asList(args).subList(2, args.length);
    int rank = MpiEnvironment.current().rank();
    Files.writeString(conf.resolveSibling(conf.getFileName() + ".rank" + rank + ".pid"), Long.toString(ProcessHandle.current().pid()));
    Communicator comm = null;
    try (BevtRuntime rt = BevtRuntime.builder()
        .configFile(conf)
        .sets(sets)
        .pluginsDir(conf.resolveSibling("no-plugins"))
        .mode(RuntimeMode.DEPLOYMENT)
        .systemProperties(false)
        .workDir(conf.getParent())
        .open()) {
      rt.validate();
      comm = DistributedSettings.from(rt.config()).open(MpiEnvironment.current());
      if (comm.isRoot()) {
        rt.prepareRunDir();
      }
      TrainingListener progress = new TrainingListener() {
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
      };
      PretrainResult r = PretrainJob.run(rt, List.of(progress), comm);
      System.out.println("DONE rank " + rank + " " + r.status() + " " + r.globalStep());
      System.out.flush();
    } catch (Throwable e) {
      System.out.println((e instanceof TrainingDivergedException ? "DIVERGED" : "FAILED") + " rank " + rank + ": " + e.getMessage());
      System.out.flush();
      if (comm != null && comm.worldSize() > 1) {
        comm.abort(5); // as the CLI: other ranks may wait in a collective
      }
      System.exit(5);
    }
    comm.close();
  }
}
