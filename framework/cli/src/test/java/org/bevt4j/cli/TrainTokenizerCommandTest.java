package org.bevt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bevt4j.core.data.synthetic.SceneGenerator;
import org.bevt4j.core.data.synthetic.SyntheticWriter;
import org.bevt4j.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bevt4j train-tokenizer} end to end with the repository's plugins: the tiny preset cut to a
 * few steps (the loop's quality is tested in the plugins), the files of the run directory, the
 * weights loading in the plugin ({@code tokenize} with the written {@code tokenizer.conf}), the
 * cache, and the exit codes of bad input.
 */
class TrainTokenizerCommandTest {
  @TempDir Path tmp;

  /** The tiny preset on fewer, smaller synthetic clips and 6 steps. */
  static final String FAST = """
      bevt.tokenizer-training {
        steps = 6
        schedule.warmup-steps = 2
        batch-size = 4
        log-every = 2
        checkpoint-every = 3
        sample-every = 0
        eval-frames = 4
        data.overrides.synthetic { size = 16, frames = 8 }
      }
      bevt.data.loader.workers = 1
      """;

  private Path conf() throws Exception {
    Path c = tmp.resolve("fast.conf");
    Files.writeString(c, FAST);
    return c;
  }

  @Test
  void trainsTheTinyPecoTokenizerWritesTheRunFilesAndTheWeightsLoadInThePlugin() throws Exception {
    Path run = tmp.resolve("tok");
    CliHarness.Run r = CliHarness.runWithRepoPlugins("train-tokenizer", "--type", "peco", "--preset", "tiny", "-c", conf().toString(),
        "--run-dir", run.toString());
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("trained a peco tokenizer: 6 steps").contains("PSNR").contains("perplexity");
    for (String f : new String[] {"tokenizer.safetensors", "tokenizer.conf", "tokenizer.json", "comparison.md", "reconstructions.png",
        "plots/codebook.png", "plots/codebook-histogram.png", "plots/loss.png", "metrics.jsonl", "log.txt"}) {
      assertThat(run.resolve(f)).as(f).isRegularFile();
    }
    Config tc = ConfigFactory.parseFile(run.resolve("tokenizer.conf").toFile());
    assertThat(tc.getString("bevt.model.tokenizer.type")).isEqualTo("peco");
    assertThat(Path.of(tc.getString("bevt.model.tokenizer.peco.weights"))).isEqualTo(run.resolve("tokenizer.safetensors").toAbsolutePath());
    assertThat(SafeTensors.read(run.resolve("tokenizer.safetensors")).keys()).contains("quantize.embedding.weight");

    // the plugin's tokenizer loads the file through tokenizer.conf: 32x32 frames -> 4x4 tokens
    Path in = tmp.resolve("in");
    new SyntheticWriter(new SceneGenerator(3), 40, 32).writeImages(in, 2, 0.9f);
    Path ids = tmp.resolve("ids");
    CliHarness.Run t = CliHarness.runWithRepoPlugins("tokenize", "-c", run.resolve("tokenizer.conf").toString(), "--input", in.toString(),
        "--output", ids.toString(), "--no-png");
    assertThat(t.code()).as(t.all()).isZero();
    assertThat(t.out()).contains("peco");

    // same configuration again: reused, no training
    CliHarness.Run again = CliHarness.runWithRepoPlugins("train-tokenizer", "--type", "peco", "--preset", "tiny", "-c", conf().toString(),
        "--run-dir", run.toString());
    assertThat(again.code()).as(again.all()).isZero();
    assertThat(again.out()).contains("reused the trained peco tokenizer");
  }

  @Test
  void dryRunPrintsThePlan() throws Exception {
    CliHarness.Run r = CliHarness.runWithRepoPlugins("train-tokenizer", "--type", "dalle", "--preset", "tiny", "-c", conf().toString(),
        "--run-dir", tmp.resolve("d").toString(), "--dry-run");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("type: dalle, preset tiny").contains("6 steps x 4 frames").contains("config hash");
    assertThat(tmp.resolve("d")).doesNotExist();
  }

  @Test
  void badInputIsAUsageOrConfigurationError() throws Exception {
    CliHarness.Run unknown = CliHarness.runWithRepoPlugins("train-tokenizer", "--type", "pecco", "-c", conf().toString(),
        "--run-dir", tmp.resolve("x").toString(), "--dry-run");
    assertThat(unknown.code()).as(unknown.all()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("pecco").contains("peco");
    CliHarness.Run preset = CliHarness.runWithRepoPlugins("train-tokenizer", "--type", "peco", "--preset", "huge", "-c", conf().toString(),
        "--dry-run");
    assertThat(preset.code()).as(preset.all()).isEqualTo(ExitCodes.USAGE);
    assertThat(preset.err()).contains("huge").contains("tiny");
    CliHarness.Run resume = CliHarness.runWithRepoPlugins("train-tokenizer", "--type", "peco", "--resume", "sometimes", "-c",
        conf().toString(), "--dry-run");
    assertThat(resume.code()).as(resume.all()).isEqualTo(ExitCodes.USAGE);
    assertThat(resume.err()).contains("bevt.tokenizer-training.resume");
  }
}
