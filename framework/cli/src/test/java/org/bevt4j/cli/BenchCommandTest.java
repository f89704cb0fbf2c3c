package org.bevt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bevt4j.core.dist.MpiCommunicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bevt4j bench data|tokenizer|allreduce|step|ops}. */
class BenchCommandTest {
  @TempDir Path tmp;

  static final String TINY = """
      bevt.model.tokenizer.dalle { n-hid = 8, n-blk-per-group = 1, vocab-size = 64, input-size = 16 }
      bevt.data.video { clip-len = 4, frame-interval = 2, crop-size = 32, scale-range = [36, 40], tokenizer-size = 16, batch-size = 2,
        synthetic { size = 8, width = 48, height = 40, frames = 12 } }
      bevt.data.image { crop-size = 32, scale-range = [36, 40], tokenizer-size = 16, batch-size = 2,
        synthetic { size = 8, width = 48, height = 40 } }
      """;

  private Path conf() throws Exception {
    Path c = tmp.resolve("bench.conf");
    Files.writeString(c, TINY);
    return c;
  }

  private static JsonObject json(Path p) throws Exception {
    return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
  }

  @Test
  void dataBenchMeasuresBothStreamsAndWritesJson() throws Exception {
    Path out = tmp.resolve("data.json");
    CliHarness.Run r = CliHarness.runWithRepoPlugins("bench", "data", "-c", conf().toString(), "--threads", "1", "--seconds", "0.3",
        "--json", out.toString());
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("samples/s").contains("video").contains("image").contains("loader threads: 1");
    JsonObject j = json(out);
    assertThat(j.keySet()).contains("clips_per_s", "images_per_s", "threads", "clips", "images", "seconds", "skipped", "cpu_s");
    assertThat(j.get("threads").getAsInt()).isEqualTo(1);
    assertThat(j.get("clips_per_s").getAsDouble()).isPositive();
    assertThat(j.get("images_per_s").getAsDouble()).isPositive();
    assertThat(j.get("skipped").getAsLong()).isZero();

    Path v = tmp.resolve("video.json");
    CliHarness.Run video = CliHarness.runWithRepoPlugins("bench", "data", "-c", conf().toString(), "--threads", "2", "--seconds", "0.2",
        "--stream", "video", "--json", v.toString());
    assertThat(video.code()).as(video.all()).isZero();
    assertThat(json(v).get("images_per_s").getAsDouble()).isZero();
    assertThat(json(v).get("clips_per_s").getAsDouble()).isPositive();
    assertThat(json(v).get("threads").getAsInt()).isEqualTo(2);

    CliHarness.Run bad = CliHarness.runWithRepoPlugins("bench", "data", "-c", conf().toString(), "--stream", "audio");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--stream audio");
  }

  @Test
  void tokenizerBenchReportsImagesPerSecond() throws Exception {
    Path out = tmp.resolve("tok.json");
    CliHarness.Run r = CliHarness.runWithRepoPlugins("bench", "tokenizer", "-c", conf().toString(), "--type", "dalle", "--batch", "2",
        "--seconds", "0.2", "--json", out.toString());
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("images/s").contains("dalle");
    JsonObject j = json(out);
    assertThat(j.get("tokenizer").getAsString()).isEqualTo("dalle");
    assertThat(j.get("input_size").getAsInt()).isEqualTo(16);
    assertThat(j.get("batch").getAsInt()).isEqualTo(2);
    assertThat(j.get("images").getAsLong()).isPositive().isEven();
    assertThat(j.get("images_per_s").getAsDouble()).isPositive();
    assertThat(j.get("device").getAsString()).isNotEmpty();
  }

  @Test
  void matmulBenchReportsGflops() throws Exception {
    Path out = tmp.resolve("mm.json");
    CliHarness.Run r = CliHarness.run("bench", "matmul", "--n", "64", "--runs", "3", "--min-run-seconds", "0.01", "--json", out.toString(),
        "--set", "bevt.train.device=cpu", "--plugins-dir=" + tmp.resolve("none"), "--plugin-mode=deployment");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("median GFLOP/s");
    JsonObject j = json(out);
    assertThat(j.get("n").getAsInt()).isEqualTo(64);
    assertThat(j.get("runs").getAsInt()).isEqualTo(3);
    assertThat(j.get("median_gflops").getAsDouble()).isPositive();
    assertThat(j.get("best_gflops").getAsDouble()).isGreaterThanOrEqualTo(j.get("median_gflops").getAsDouble());
    assertThat(CliHarness.run("bench", "matmul", "--n", "0").code()).isEqualTo(2);
  }

  @Test
  void allreduceNeedsMpirunAndSaysHow() {
    assumeFalse(MpiCommunicator.launchedByMpi(), "the test JVM itself runs under MPI");
    CliHarness.Run r = CliHarness.run("bench", "allreduce", "--floats", "1000");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("mpirun -np 2 bin/bevt4j bench allreduce");
    CliHarness.Run both = CliHarness.run("bench", "allreduce", "--floats", "10", "--model-config");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("--floats or --model-config");
  }

  @Test
  void benchAloneShowsUsageAndListsSubcommands() {
    CliHarness.Run r = CliHarness.run("bench");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("data").contains("tokenizer").contains("allreduce").contains("matmul").contains("step").contains("ops");
    CliHarness.Run step = CliHarness.run("bench", "step", "--help");
    assertThat(step.code()).isZero();
    assertThat(step.out()).contains("--json");
  }

  @Test
  void opsListsItsOptionsAndRefusesBadCounts() {
    CliHarness.Run help = CliHarness.run("bench", "ops", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--warmup", "--iterations", "--threads", "--json", "relative-position", "AdamW");
    CliHarness.Run bad = CliHarness.run("bench", "ops", "--iterations", "0");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("iterations >= 1").contains("iterations=0");
  }
}
