package org.bevt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.core.metrics.MetricsHistory;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's exact-resume guarantee through the real CLI: {@code bevt4j pretrain} runs in a child JVM
 * ({@code org.bevt4j.cli.Main}, the repository's plugins in development mode, the sample {@code
 * tiny.conf} shortened to two short stages with the data loader's worker threads), is killed with
 * SIGKILL right after its first checkpoint appears, and {@code --resume auto} then finishes the
 * run. Per-step metrics ({@code metrics.jsonl}) and the final weights and optimizer state must equal
 * an uninterrupted CLI run's bit for bit.
 */
class PretrainKill9ResumeTest {
  private static final int STEPS = 12;
  /** Two stages (image, then joint inflated from it); a checkpoint every 2 steps, metrics every step. */
  private static final List<String> SETS = List.of(
      "bevt.train.stages=[{name=image,streams=[image],steps=4},{name=joint,streams=[video,image],init=inflate-from-previous,steps=8}]",
      "bevt.train.batch-size.video=1", "bevt.train.batch-size.image=2", "bevt.train.schedule.warmup-steps=2",
      "bevt.train.checkpoint-every=2", "bevt.train.keep-checkpoints=2", "bevt.train.log-every=1");
  /** Metrics that must repeat exactly (timings and the wall-clock stamp do not). */
  private static final List<String> EXACT = List.of(
      "step", "stage", "stage_step", "loss", "loss_video", "loss_image", "acc_video", "acc_image", "lr", "grad_norm", "loss_scale",
      "skipped_steps");

  @TempDir Path tmp;

  private static Process start(Path run, String resume) throws IOException {
    Path repo = CliHarness.repoRoot();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_interop_threads=1",
        "-Dai.djl.pytorch.num_threads=" + System.getProperty("ai.djl.pytorch.num_threads", "1"),
        "-cp", cp, Main.class.getName(),
        "pretrain", "--config", repo.resolve("samples/configs/tiny.conf").toString(), "--run-dir", run.toString(), "--resume", resume));
    for (String s : SETS) {
      cmd.add("--set");
      cmd.add(s);
    }
    cmd.add("--plugins-dir=" + repo.resolve("plugins"));
    cmd.add("--plugin-mode=development");
    Files.createDirectories(run.getParent());
    return new ProcessBuilder(cmd)
        .redirectOutput(run.resolveSibling(run.getFileName() + "-" + resume + ".out").toFile())
        .redirectError(run.resolveSibling(run.getFileName() + "-" + resume + ".err").toFile())
        .start();
  }

  private static void awaitSuccess(Process p, Path run, String resume) throws Exception {
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("pretrain finished").isTrue();
    assertThat(p.exitValue())
        .as("exit code; stderr:\n%s", Files.readString(run.resolveSibling(run.getFileName() + "-" + resume + ".err")))
        .isZero();
  }

  private static Optional<Checkpoint> latest(Path run) {
    Path dir = run.resolve("checkpoints");
    return Files.isDirectory(dir) ? new CheckpointStore(dir, 2).latestValid() : Optional.empty();
  }

  @Test
  void killDashNineThenResumeAutoEqualsAnUninterruptedRunBitForBit() throws Exception {
    Path ref = tmp.resolve("ref");
    awaitSuccess(start(ref, "none"), ref, "none");

    Path run = tmp.resolve("killed");
    Process p = start(run, "none");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (latest(run).isEmpty()) {
      assertThat(p.isAlive()).as("the run is still going when its first checkpoint is awaited").isTrue();
      assertThat(System.nanoTime()).as("a checkpoint within 120 s").isLessThan(deadline);
      Thread.sleep(20);
    }
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137);
    long killedAt = latest(run).orElseThrow().step();
    assertThat(killedAt).as("killed mid-run").isLessThan(STEPS);
    assertThat(run.resolve("checkpoints/step-" + STEPS)).doesNotExist();

    awaitSuccess(start(run, "auto"), run, "auto");
    assertThat(Files.readString(run.resolveSibling("killed-auto.out"))).contains("pretraining completed after " + STEPS + " steps");

    List<Map<String, Object>> want = MetricsHistory.read(ref);
    List<Map<String, Object>> got = MetricsHistory.read(run);
    assertThat(want).hasSize(STEPS);
    assertThat(got).hasSize(STEPS);
    for (int i = 0; i < STEPS; i++) {
      for (String k : EXACT) {
        assertThat(got.get(i).get(k)).as("metrics.jsonl step %d: %s", i + 1, k).isEqualTo(want.get(i).get(k));
      }
    }
    Checkpoint a = CheckpointStore.open(ref.resolve("checkpoints/step-" + STEPS));
    Checkpoint b = CheckpointStore.open(run.resolve("checkpoints/step-" + STEPS));
    assertBitEqual(a.model(), b.model());
    assertBitEqual(a.optimizer(), b.optimizer());
  }

  private static void assertBitEqual(StateDict want, StateDict got) {
    assertThat(got.keys()).containsExactlyInAnyOrderElementsOf(want.keys());
    for (Map.Entry<String, TensorData> e : want.tensors().entrySet()) {
      assertThat(got.get(e.getKey()).bitEquals(e.getValue())).as(e.getKey()).isTrue();
    }
  }
}
