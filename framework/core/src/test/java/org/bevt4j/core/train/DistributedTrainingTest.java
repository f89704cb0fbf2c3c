package org.bevt4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.assertj.core.data.Offset;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.data.loader.EpochOrder;
import org.bevt4j.core.dist.LocalCommunicator;
import org.bevt4j.core.dist.StateDigest;
import org.bevt4j.core.metrics.MetricsHistory;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

/**
 * Data-parallel pretraining on 2 ranks over loopback (Open MPI): each rank a JVM running the
 * {@code bevt4j pretrain} path ({@link DistTrainMain}: {@link PretrainJob} with {@code
 * bevt.train.distributed.backend = mpi}) on the tiny host-class-path components. Checks identical
 * replicas that match a single process trained on the union of the ranks' batches, a killed rank
 * taking the job down with the last checkpoint intact, an exact 2-rank resume, a stop requested on
 * one rank stopping both at the same step, a NaN on one rank stopping both, and a clear error when
 * resuming with another world size. Skipped (with the reason) when {@code mpirun} is not installed.
 */
class DistributedTrainingTest {
  static final long STEPS = 6;
  static final long SEED = 7;
  static final int ACCUMULATE = 2;
  static final int VIDEO_BATCH = 2;
  static final int IMAGE_BATCH = 4;
  static final int VIDEO_SAMPLES = TinyExtensions.VIDEO_SAMPLES;
  static final long NAN_STEP = 3;
  static final Pattern DIGEST = Pattern.compile("rank (\\d)/2: step (\\d+): replicas identical, model digest ([0-9a-f]{64})");

  @TempDir static Path tmp;
  static Path reference;
  static String referenceOutput;

  static boolean mpirunAvailable() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "mpirun"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Writes {@code <tmp>/<name>/run.conf}: a 2-rank job (per-rank batches; {@code batchMultiplier
   * = 2} with backend none is the single process on the union of both ranks' batches).
   */
  static Path config(String name, int batchMultiplier, String backend) throws IOException {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir);
    String conf = "bevt {\n"
        + "  model { backbone.type = " + TinyExtensions.NAME + ", tokenizer.type = " + TinyExtensions.NAME + " }\n"
        + "  masking { image.type = " + TinyExtensions.NAME + ", video.type = " + TinyExtensions.NAME + " }\n"
        + "  data {\n"
        + "    image.type = " + TinyExtensions.NAME + "\n"
        + "    video.type = " + TinyExtensions.NAME + "\n"
        + "    loader.workers = 1\n"
        + "  }\n"
        + "  train {\n"
        + "    seed = " + SEED + "\n"
        + "    stages = [{ name = j, streams = [video, image], steps = " + STEPS + " }]\n"
        + "    batch-size { video = " + VIDEO_BATCH * batchMultiplier + ", image = " + IMAGE_BATCH * batchMultiplier + " }\n"
        + "    accumulate = " + ACCUMULATE + "\n"
        + "    optimizer { lr = 1e-2 }\n"
        + "    schedule { warmup-steps = 1 }\n"
        + "    log-every = 1, checkpoint-every = 2, keep-checkpoints = 10, device = cpu\n"
        + "    distributed { backend = " + backend + ", bucket-mb = 0.004 }\n" // several buckets even for the tiny model
        + "  }\n"
        + "  run { name = " + name + ", dir = \"" + dir.resolve("run").toString().replace("\\", "/") + "\", resume = auto }\n"
        + "}\n";
    Path file = dir.resolve("run.conf");
    Files.writeString(file, conf);
    return file;
  }

  /** A running {@code mpirun} job whose output is collected line by line. */
  static final class Job {
    final Process process;
    final Path conf;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    Job(Process process, Path conf) {
      this.process = process;
      this.conf = conf;
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

    /** Waits for the end of the job; returns its whole output (also saved next to the config). */
    String finish(long seconds) throws Exception {
      boolean done = process.waitFor(seconds, TimeUnit.SECONDS);
      if (!done) {
        process.destroyForcibly();
      }
      reader.join(10_000);
      Files.writeString(conf.resolveSibling("mpirun-" + System.nanoTime() + ".log"), output());
      assertThat(done).as("mpirun finished in time:\n" + output()).isTrue();
      return output();
    }
  }

  /**
   * {@code mpirun --oversubscribe --bind-to none -np 2 -x OMP_NUM_THREADS=1 java -cp <test class
   * path> DistTrainMain <conf> <sleep> <sets>}: one libtorch thread per rank, as the docs advise for
   * ranks sharing cores.
   */
  static Job launch(Path conf, long sleepMs, String... javaOptions) throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String logback = Path.of(System.getProperty("basedir", "."), "target", "test-classes", "dist-logback.xml").toString();
    var resource = DistributedTrainingTest.class.getResource("/dist-logback.xml");
    if (resource != null && "file".equals(resource.getProtocol())) {
      logback = Path.of(java.net.URI.create(resource.toString())).toString();
    }
    List<String> cmd = new ArrayList<>(List.of(
        "mpirun", "--oversubscribe", "--bind-to", "none", "-np", "2", "-x", "OMP_NUM_THREADS=1",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_interop_threads=1", "-Dai.djl.pytorch.num_threads=1", "-Dlogback.configurationFile=" + logback));
    cmd.addAll(List.of(javaOptions));
    cmd.addAll(List.of("-cp", cp, DistTrainMain.class.getName(), conf.toString(), Long.toString(sleepMs)));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT", "1");
    pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    pb.environment().put("OMPI_MCA_btl_vader_single_copy_mechanism", "none");
    return new Job(pb.start(), conf);
  }

  static long pid(Path conf, int rank) throws IOException {
    return Long.parseLong(Files.readString(conf.resolveSibling(conf.getFileName() + ".rank" + rank + ".pid")).trim());
  }

  static Path runDir(Path conf) {
    return conf.resolveSibling("run");
  }

  static Checkpoint checkpoint(Path conf, long step) {
    return CheckpointStore.open(runDir(conf).resolve("checkpoints/step-" + step));
  }

  /** The digests each rank logged at each checkpoint: (rank, step) -> digest. */
  static Map<String, String> digests(String output) {
    Map<String, String> out = new java.util.TreeMap<>();
    Matcher m = DIGEST.matcher(output);
    while (m.find()) {
      out.put(m.group(1) + "@" + m.group(2), m.group(3));
    }
    return out;
  }

  /** Runs {@code conf} in this JVM through {@link PretrainJob} with one process. */
  static PretrainResult runSingle(Path conf, String... sets) {
    try (BevtRuntime rt = BevtRuntime.builder()
        .configFile(conf)
        .sets(List.of(sets))
        .pluginsDir(conf.resolveSibling("no-plugins"))
        .mode(RuntimeMode.DEPLOYMENT)
        .systemProperties(false)
        .workDir(conf.getParent())
        .open()) {
      rt.validate();
      rt.prepareRunDir();
      return PretrainJob.run(rt, List.of(), new LocalCommunicator());
    }
  }

  @BeforeAll
  static void uninterruptedTwoRankRun() throws Exception {
    assumeTrue(mpirunAvailable(), "mpirun not found on PATH: install Open MPI (apt-get install openmpi-bin libopenmpi-dev) to run the data-parallel tests");
    reference = config("ref", 1, "mpi");
    referenceOutput = launch(reference, 0).finish(180);
    assertThat(referenceOutput).as(referenceOutput).contains("DONE rank 0 COMPLETED " + STEPS).contains("DONE rank 1 COMPLETED " + STEPS);
  }

  @Test
  void ranksEndIdenticalAndEqualASingleProcessTrainedOnTheUnionOfTheirBatches() throws Exception {
    // every checkpoint: rank 1 proved (digest) that it holds exactly rank 0's model, which rank 0 wrote
    Map<String, String> d = digests(referenceOutput);
    for (long step = 2; step <= STEPS; step += 2) {
      String written = StateDigest.of(checkpoint(reference, step).model().tensors());
      assertThat(d.get("0@" + step)).as("rank 0 at step " + step + ":\n" + referenceOutput).isEqualTo(written);
      assertThat(d.get("1@" + step)).as("rank 1 at step " + step + ":\n" + referenceOutput).isEqualTo(written);
    }
    TrainerState st = TrainerState.fromJson(checkpoint(reference, STEPS).trainer());
    assertThat(st.worldSize()).isEqualTo(2);
    // rank 0 alone wrote the run directory; the other rank wrote nothing there
    try (Stream<Path> files = Files.list(runDir(reference).resolve("checkpoints"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("step-"))).containsExactlyInAnyOrder("step-2", "step-4", "step-6");
    }

    // one process, batches of 2b drawn from the whole epoch = the union of both ranks' batches
    Path single = config("single", 2, "none");
    PretrainResult r = runSingle(single);
    assertThat(r.status()).isEqualTo(PretrainResult.Status.COMPLETED);
    List<Map<String, Object>> dist = MetricsHistory.read(runDir(reference));
    List<Map<String, Object>> one = MetricsHistory.read(runDir(single));
    assertThat(dist).hasSize((int) STEPS);
    for (int i = 0; i < STEPS; i++) {
      for (String key : new String[] {"loss", "loss_video", "loss_image", "acc_video", "acc_image", "grad_norm"}) {
        double a = ((Number) dist.get(i).get(key)).doubleValue();
        double b = ((Number) one.get(i).get(key)).doubleValue();
        assertThat(a).as(key + " at step " + (i + 1) + ": " + dist.get(i) + " vs " + one.get(i)).isCloseTo(b, Offset.offset(1e-4 + 1e-4 * Math.abs(b)));
      }
    }
    StateDict two = checkpoint(reference, STEPS).model();
    StateDict ref = checkpoint(single, STEPS).model();
    assertThat(two.keys()).isEqualTo(ref.keys());
    double worst = 0;
    for (String k : two.keys()) {
      float[] a = two.get(k).toFloats();
      float[] b = ref.get(k).toFloats();
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1e-4 + 1e-4 * Math.abs(b[i])));
      }
    }
    assertThat(worst).as("max |2 ranks - 1 process| / (1e-4 + 1e-4 |w|)").isLessThanOrEqualTo(1.0);
  }

  @Test
  void killingOneRankStopsTheJobKeepsTheLastCheckpointAndTwoRanksResumeExactly() throws Exception {
    Path conf = config("kill", 1, "mpi");
    Job job = launch(conf, 150);
    job.awaitLine("STEP 3 rank 1");
    ProcessHandle.of(pid(conf, 1)).orElseThrow().destroyForcibly(); // SIGKILL rank 1 only
    String out = job.finish(60);
    assertThat(job.process.exitValue()).as(out).isNotZero();
    assertThat(out).as(out).containsPattern("rank 1 .*exited on signal 9").doesNotContain("DONE rank");
    Checkpoint last = new CheckpointStore(runDir(conf).resolve("checkpoints"), 10).latestValid().orElseThrow();
    assertThat(last.step()).isBetween(2L, 4L);
    // intact: the checkpoint rank 0 wrote equals the uninterrupted run's at the same step
    assertThat(StateDigest.of(last.model().tensors())).isEqualTo(StateDigest.of(checkpoint(reference, last.step()).model().tensors()));
    assertThat(TrainerState.fromJson(last.trainer()).worldSize()).isEqualTo(2);

    String resumed = launch(conf, 0).finish(180);
    assertThat(resumed).as(resumed).contains("DONE rank 0 COMPLETED " + STEPS).contains("DONE rank 1 COMPLETED " + STEPS);
    StateDict want = checkpoint(reference, STEPS).model();
    StateDict got = checkpoint(conf, STEPS).model();
    for (Map.Entry<String, TensorData> e : want.tensors().entrySet()) {
      assertThat(got.get(e.getKey()).bitEquals(e.getValue())).as("resumed = uninterrupted, bitwise: " + e.getKey()).isTrue();
    }
    assertThat(digests(resumed).get("1@" + STEPS)).as(resumed).isEqualTo(StateDigest.of(want.tensors()));
  }

  @Test
  void aStopRequestedOnOneRankStopsBothAtTheSameStepWithACheckpoint() throws Exception {
    Path conf = config("stop", 1, "mpi");
    Job job = launch(conf, 200);
    job.awaitLine("STEP 2 rank 1");
    new ProcessBuilder("kill", "-USR1", Long.toString(pid(conf, 1))).start().waitFor(); // rank 1 only
    String out = job.finish(60);
    assertThat(job.process.exitValue()).as(out).isZero();
    Matcher m0 = Pattern.compile("DONE rank 0 STOPPED (\\d+)").matcher(out);
    Matcher m1 = Pattern.compile("DONE rank 1 STOPPED (\\d+)").matcher(out);
    assertThat(m0.find() && m1.find()).as(out).isTrue();
    long step = Long.parseLong(m0.group(1));
    assertThat(Long.parseLong(m1.group(1))).isEqualTo(step);
    assertThat(step).isBetween(2L, STEPS - 1);
    Checkpoint last = new CheckpointStore(runDir(conf).resolve("checkpoints"), 10).latestValid().orElseThrow();
    assertThat(last.step()).isEqualTo(step);
    assertThat(digests(out).get("1@" + step)).as(out).isEqualTo(StateDigest.of(last.model().tensors()));
  }

  @Test
  void aNonFiniteLossOnOneRankStopsEveryRankAtTheSameStep() throws Exception {
    // the first clip rank 1 reads in step NAN_STEP (micro-batch (NAN_STEP - 1) x accumulate) gets a NaN pixel
    long micro = (NAN_STEP - 1) * ACCUMULATE;
    long perEpoch = VIDEO_SAMPLES / 2 / VIDEO_BATCH;
    long seed = Rngs.derive(SEED, Rngs.DATA, 0, StreamKind.VIDEO.ordinal());
    long[] slice = new EpochOrder(VIDEO_SAMPLES, seed, true, 1, 2).slice(micro / perEpoch);
    long nanIndex = slice[(int) (micro % perEpoch) * VIDEO_BATCH];
    Path conf = config("nan", 1, "mpi");
    Job job = launch(conf, 0, "-D" + TinyExtensions.NAN_PROPERTY + "=1:" + nanIndex);
    String out = job.finish(120);
    assertThat(job.process.exitValue()).as(out).isNotZero();
    assertThat(out).as(out)
        .containsPattern("DIVERGED rank [01]: .*step " + NAN_STEP)
        .contains("the video loss (on 1 of 2 ranks)")
        .doesNotContain("DONE rank");
    Checkpoint last = new CheckpointStore(runDir(conf).resolve("checkpoints"), 10).latestValid().orElseThrow();
    assertThat(last.step()).isEqualTo(NAN_STEP - 1);
  }

  @Test
  void resumingWithAnotherWorldSizeIsAClearError() throws Exception {
    Path conf = config("resize", 2, "none");
    copyTree(runDir(reference), runDir(conf));
    assertThatThrownBy(() -> runSingle(conf))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("bevt.train.distributed")
        .hasMessageContaining("written by a job of 2 rank(s), but this job has 1 rank(s)")
        .hasMessageContaining("mpirun -np 2");
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
