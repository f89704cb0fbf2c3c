package org.bevt4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.bevt4j.core.dist.LocalCommunicator;
import org.bevt4j.core.metrics.MetricsHistory;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel pretraining on 2 ranks over loopback (Open MPI), each rank a JVM running {@link
 * DistTrainMain}: identical replicas that match a single process trained on the union of the ranks'
 * batches, a killed rank taking the job down with the last checkpoint intact and an exact 2-rank
 * resume, a stop requested on one rank stopping both at the same step, a NaN on one rank stopping
 * both, and a clear error when resuming with another world size. Skipped (with the reason) when
 * {@code mpirun} is not installed.
 */
class DistributedTrainingTest {
  static final long STEPS = 6;
  @TempDir static Path tmp;
  static Path reference;

  static boolean mpirunAvailable() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "mpirun"))) {
        return true;
      }
    }
    return false;
  }

  /** A running {@code mpirun} job whose output is collected line by line. */
  static final class Job {
    final Process process;
    final Path run;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    Job(Process process, Path run) {
      this.process = process;
      this.run = run;
      this.reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String l;
          while ((l = r.readLine()) != null) {
            synchronized (lines) {
              lines.add(l);
              lines.notifyAll();
            }
          }
        } catch (IOException e) {
          // the process is gone
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    String output() {
      synchronized (lines) {
        return String.join("\n", lines) + "\n";
      }
    }

    /** Waits until the job prints {@code line}. */
    void awaitLine(String line) throws InterruptedException {
      long deadline = System.currentTimeMillis() + 120_000;
      synchronized (lines) {
        while (!lines.contains(line)) {
          if (!reader.isAlive() || System.currentTimeMillis() > deadline) {
            throw new AssertionError("job ended before printing \"" + line + "\":\n" + String.join("\n", lines));
          }
          lines.wait(200);
        }
      }
    }

    /** Waits for the end of the job; returns its whole output (also saved as {@code <run>.log}). */
    String finish(long seconds) throws Exception {
      assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("mpirun finished in time:\n" + output()).isTrue();
      reader.join(10_000);
      Files.writeString(run.resolveSibling(run.getFileName() + ".log"), output());
      return output();
    }
  }

  /** {@code mpirun -np 2 java -cp <test class path> DistTrainMain run steps resume sleep mode}. */
  static Job launch(Path run, String resume, long sleepMs, String mode) throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(
        "mpirun", "--oversubscribe", "--bind-to", "none", "-np", "2", "-x", "OMP_NUM_THREADS=1",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_interop_threads=1", "-Dai.djl.pytorch.num_threads=1",
        "-cp", cp, DistTrainMain.class.getName(), run.toString(), Long.toString(STEPS), resume, Long.toString(sleepMs), mode));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT", "1");
    pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    pb.environment().put("OMPI_MCA_btl_vader_single_copy_mechanism", "none");
    return new Job(pb.start(), run);
  }

  static long pid(Path run, int rank) throws IOException {
    return Long.parseLong(Files.readString(run.resolveSibling(run.getFileName() + ".rank" + rank + ".pid")).trim());
  }

  static StateDict weights(Path run, int rank) {
    return SafeTensors.read(run.resolveSibling(run.getFileName() + ".rank" + rank + ".safetensors"));
  }

  @BeforeAll
  static void uninterruptedTwoRankRun() throws Exception {
    assumeTrue(mpirunAvailable(), "mpirun not found on PATH: install Open MPI (apt-get install openmpi-bin libopenmpi-dev) to run the data-parallel tests");
    reference = tmp.resolve("ref");
    String out = launch(reference, "none", 0, "normal").finish(180);
    assertThat(out).as(out).contains("DONE rank 0 COMPLETED " + STEPS).contains("DONE rank 1 COMPLETED " + STEPS);
  }

  @Test
  void ranksEndIdenticalAndEqualASingleProcessTrainedOnTheUnionOfTheirBatches() throws Exception {
    StateDict rank0 = weights(reference, 0);
    StateDict rank1 = weights(reference, 1);
    StateDict saved = CheckpointStore.open(reference.resolve("checkpoints/step-" + STEPS)).model();
    assertThat(rank1.keys()).isEqualTo(rank0.keys()).isEqualTo(saved.keys());
    for (String k : rank0.keys()) {
      assertThat(rank1.get(k).bitEquals(rank0.get(k))).as("rank 1 = rank 0: " + k).isTrue();
      assertThat(saved.get(k).bitEquals(rank0.get(k))).as("checkpoint = rank 0: " + k).isTrue();
    }
    // one process, batches of 2b drawn from the whole epoch = the union of both ranks' batches
    Path single = tmp.resolve("single");
    var cfg = DistTrainMain.config(single, STEPS, "none", 2);
    try (NDManager m = Tiny.manager()) {
      Tiny.trainer(DistTrainMain.components(m), cfg, m)
          .optBatchSourceFactory(LoaderBatchSource.factory(LoaderSettings.defaults().withWorkers(1), 0, 1))
          .build()
          .run();
    }
    StateDict one = CheckpointStore.open(single.resolve("checkpoints/step-" + STEPS)).model();
    // rank 0 alone wrote the metrics, with the global (both ranks') losses and throughput
    List<Map<String, Object>> dist = MetricsHistory.read(reference);
    List<Map<String, Object>> ref = MetricsHistory.read(single);
    assertThat(dist).hasSize((int) STEPS);
    for (int i = 0; i < STEPS; i++) {
      for (String key : new String[] {"loss", "loss_video", "loss_image", "acc_video", "acc_image", "grad_norm"}) {
        double d = ((Number) dist.get(i).get(key)).doubleValue();
        double s = ((Number) ref.get(i).get(key)).doubleValue();
        assertThat(d).as(key + " at step " + (i + 1) + ": " + dist + " vs " + ref).isCloseTo(s, org.assertj.core.data.Offset.offset(1e-4 + 1e-4 * Math.abs(s)));
      }
    }
    double worst = 0;
    for (String k : rank0.keys()) {
      float[] a = rank0.get(k).toFloats();
      float[] b = one.get(k).toFloats();
      for (int i = 0; i < a.length; i++) {
        double err = Math.abs(a[i] - b[i]) / (1e-4 + 1e-4 * Math.abs(b[i]));
        worst = Math.max(worst, err);
      }
    }
    assertThat(worst).as("max |2 ranks - 1 process| / (1e-4 + 1e-4 |w|)").isLessThanOrEqualTo(1.0);
    TrainerState st = TrainerState.fromJson(CheckpointStore.open(reference.resolve("checkpoints/step-" + STEPS)).trainer());
    assertThat(st.worldSize()).isEqualTo(2);
    try (Stream<Path> files = Files.list(reference.resolve("checkpoints"))) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(".tmp").contains("step-4", "step-6");
    }
  }

  @Test
  void killingOneRankStopsTheJobKeepsTheLastCheckpointAndTwoRanksResumeExactly() throws Exception {
    Path run = tmp.resolve("kill");
    Job job = launch(run, "none", 150, "normal");
    job.awaitLine("STEP 3 rank 1");
    ProcessHandle.of(pid(run, 1)).orElseThrow().destroyForcibly(); // SIGKILL rank 1 only
    String out = job.finish(60);
    Files.writeString(tmp.resolve("kill.killed.log"), out);
    assertThat(job.process.exitValue()).as(out).isNotZero();
    assertThat(out).as(out).containsPattern("rank 1 .*exited on signal 9").doesNotContain("DONE rank");
    Checkpoint last = new CheckpointStore(run.resolve("checkpoints"), 2).latestValid().orElseThrow();
    assertThat(last.step()).isBetween(2L, 4L);
    assertThat(last.model().keys()).isEqualTo(weights(reference, 0).keys());
    assertThat(TrainerState.fromJson(last.trainer()).worldSize()).isEqualTo(2);

    String resumed = launch(run, "auto", 0, "normal").finish(180);
    assertThat(resumed).as(resumed).contains("DONE rank 0 COMPLETED " + STEPS).contains("DONE rank 1 COMPLETED " + STEPS);
    StateDict want = weights(reference, 0);
    StateDict got = CheckpointStore.open(run.resolve("checkpoints/step-" + STEPS)).model();
    for (Map.Entry<String, TensorData> e : want.tensors().entrySet()) {
      assertThat(got.get(e.getKey()).bitEquals(e.getValue())).as(e.getKey()).isTrue();
      assertThat(weights(run, 1).get(e.getKey()).bitEquals(e.getValue())).as("rank 1: " + e.getKey()).isTrue();
    }
  }

  @Test
  void aStopRequestedOnOneRankStopsBothAtTheSameStepWithACheckpoint() throws Exception {
    Path run = tmp.resolve("stop");
    Job job = launch(run, "none", 200, "normal");
    job.awaitLine("STEP 2 rank 1");
    new ProcessBuilder("kill", "-USR1", Long.toString(pid(run, 1))).start().waitFor(); // rank 1 only
    String out = job.finish(60);
    assertThat(job.process.exitValue()).as(out).isZero();
    Matcher m0 = Pattern.compile("DONE rank 0 STOPPED (\\d+)").matcher(out);
    Matcher m1 = Pattern.compile("DONE rank 1 STOPPED (\\d+)").matcher(out);
    assertThat(m0.find() && m1.find()).as(out).isTrue();
    long step = Long.parseLong(m0.group(1));
    assertThat(Long.parseLong(m1.group(1))).isEqualTo(step);
    assertThat(step).isBetween(2L, STEPS - 1);
    Checkpoint last = new CheckpointStore(run.resolve("checkpoints"), 2).latestValid().orElseThrow();
    assertThat(last.step()).isEqualTo(step);
    StateDict saved = last.model();
    for (String k : saved.keys()) {
      assertThat(weights(run, 1).get(k).bitEquals(saved.get(k))).as(k).isTrue();
    }
  }

  @Test
  void aNonFiniteLossOnOneRankStopsEveryRankAtTheSameStep() throws Exception {
    Path run = tmp.resolve("nan");
    Job job = launch(run, "none", 0, "nan");
    String out = job.finish(120);
    assertThat(job.process.exitValue()).as(out).isNotZero();
    assertThat(out).as(out)
        .contains("DIVERGED rank 0 step " + DistTrainMain.NAN_STEP)
        .contains("DIVERGED rank 1 step " + DistTrainMain.NAN_STEP)
        .contains("the video loss (on 1 of 2 ranks)");
    Checkpoint last = new CheckpointStore(run.resolve("checkpoints"), 2).latestValid().orElseThrow();
    assertThat(last.step()).isEqualTo(DistTrainMain.NAN_STEP - 1);
  }

  @Test
  void resumingWithAnotherWorldSizeIsAClearError() throws Exception {
    Path copy = tmp.resolve("ref-copy");
    copyTree(reference, copy);
    var cfg = DistTrainMain.config(copy, STEPS + 2, "auto", 2);
    try (NDManager m = Tiny.manager()) {
      assertThatThrownBy(() -> Tiny.trainer(DistTrainMain.components(m), cfg, m).optCommunicator(new LocalCommunicator()).build().run())
          .isInstanceOf(BevtConfigException.class)
          .hasMessageContaining("bevt.train.distributed")
          .hasMessageContaining("written by a job of 2 rank(s), but this job has 1 rank(s)")
          .hasMessageContaining("mpirun -np 2");
    }
  }

  @org.junit.jupiter.api.AfterAll
  static void keepForDebug() throws IOException {
    copyTree(tmp, Path.of("/tmp/dist/artifacts-" + System.currentTimeMillis()));
    Files.writeString(Path.of("/tmp/dist/surefire.cp"), System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
