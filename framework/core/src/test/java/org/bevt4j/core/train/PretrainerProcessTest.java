package org.bevt4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real process interruption: SIGTERM writes a checkpoint before the JVM exits; kill -9 at any moment
 * leaves the newest complete checkpoint, and resuming from either reaches bit-identical weights.
 */
class PretrainerProcessTest {
  static final long STEPS = 10;
  @TempDir static Path tmp;
  static StateDict reference;

  @BeforeAll
  static void uninterrupted() {
    Path dir = tmp.resolve("ref");
    try (NDManager m = Tiny.manager()) {
      Tiny.trainer(Tiny.components(m, 21, 6, 8), Tiny.config(dir, TinyTrainMain.overrides(STEPS)), m).build().run();
    }
    reference = CheckpointStore.open(dir.resolve("checkpoints/step-" + STEPS)).model();
  }

  private static Process start(Path run, String resume, long sleepMs, int checkpointEvery) throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_interop_threads=1",
        "-Dai.djl.pytorch.num_threads=" + System.getProperty("ai.djl.pytorch.num_threads", "1"), "-cp", cp, TinyTrainMain.class.getName(), run.toString(), Long.toString(STEPS), resume,
        Long.toString(sleepMs), Integer.toString(checkpointEvery)));
    return new ProcessBuilder(cmd).redirectError(run.resolveSibling(run.getFileName() + ".stderr").toFile()).start();
  }

  /** Reads the child's stdout until it reports {@code STEP n}. */
  private static void awaitStep(Process p, long n) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      if (line.equals("STEP " + n)) {
        return;
      }
    }
    throw new AssertionError("child exited before step " + n);
  }

  private static void resumeInProcess(Path run) {
    try (NDManager m = Tiny.manager()) {
      PretrainResult r = Tiny.trainer(Tiny.components(m, 999, 6, 8), Tiny.config(run, TinyTrainMain.overrides(STEPS) + "\nbevt.run.resume = auto"), m)
          .build().run();
      assertThat(r.status()).isEqualTo(PretrainResult.Status.COMPLETED);
      assertThat(r.resumedFrom()).isNotNull();
    }
  }

  private static void assertReference(Path run) {
    StateDict got = CheckpointStore.open(run.resolve("checkpoints/step-" + STEPS)).model();
    for (Map.Entry<String, TensorData> e : reference.tensors().entrySet()) {
      assertThat(got.get(e.getKey()).bitEquals(e.getValue())).as(e.getKey()).isTrue();
    }
  }

  @Test
  void sigtermWritesACheckpointAndTheRunResumesExactly() throws Exception {
    Path run = tmp.resolve("term");
    Process p = start(run, "none", 300, 0); // no periodic checkpoints: only a stop can write one
    awaitStep(p, 3);
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(143);
    Checkpoint last = new CheckpointStore(run.resolve("checkpoints"), 2).latestValid().orElseThrow();
    // written by the stop hook, right after the step that was running when the signal came
    assertThat(last.step()).isBetween(3L, STEPS - 1);
    assertThat(last.trainer().get("stage_step").getAsLong()).isEqualTo(last.step());
    resumeInProcess(run);
    assertReference(run);
  }

  @Test
  void kill9LeavesTheLastCompleteCheckpointAndTheRunResumesExactly() throws Exception {
    Path run = tmp.resolve("kill");
    Process p = start(run, "none", 50, 2);
    awaitStep(p, 7);
    p.destroyForcibly(); // SIGKILL, possibly in the middle of a checkpoint write
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Checkpoint last = new CheckpointStore(run.resolve("checkpoints"), 2).latestValid().orElseThrow();
    assertThat(last.step()).isBetween(4L, STEPS);
    resumeInProcess(run);
    assertReference(run);
  }
}
