package org.bevt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare-tokenizers --experiment}: pretrain a tiny BEVT Video Swin with each tokenizer, then probe it. */
class TokenizerExperimentTest {
  @TempDir Path tmp;

  static final String TINY_BEVT = """
      bevt {
        model {
          backbone { type = video-swin, video-swin { preset = null, bevt = true, patch-size = [2, 4, 4], embed-dim = 16,
            depths = [1, 1, 1, 1], num-heads = [1, 1, 2, 2], window-size = [2, 2, 2], drop-path-rate = 0.0 } }
          tokenizer {
            dalle { input-size = 32, n-hid = 8, n-blk-per-group = 1, vocab-size = 64 }
            peco { ch = 8, ch-mult = [1, 1, 2, 2], num-res-blocks = 1, attn-resolutions = [], resolution = 32, z-channels = 8,
              embed-dim = 8, n-embed = 32, groups = 4, input-size = 32 }
          }
        }
        masking { image { min-num-patches = 2 }, video { min-num-patches = 2 } }
        data {
          image { type = synthetic, scale-range = [64, 72], crop-size = 64, tokenizer-size = 32, eval.short-side = 64,
            synthetic { size = 16, width = 72, height = 64 } }
          video { type = synthetic, clip-len = 8, frame-interval = 1, scale-range = [64, 72], crop-size = 64, tokenizer-size = 32,
            eval { short-side = 64, crop = center, clips = 1 }, synthetic { size = 12, width = 72, height = 64, frames = 12 } }
          loader { workers = 1, prefetch = 2 }
        }
        train {
          stages = [
            { name = image, streams = [image], steps = 2 },
            { name = joint, streams = [video, image], init = inflate-from-previous, steps = 2 }
          ]
          batch-size { video = 2, image = 4 }
          accumulate = 1
          schedule { warmup-steps = 1 }
          log-every = 1
          checkpoint-every = 0
          device = cpu
        }
        eval.probe { stream = image, epochs = 5, batch-size = 4, val-fraction = 0.25 }
      }
      """;

  @Test
  void pretrainsAndProbesOncePerTokenizer() throws Exception {
    Path conf = tmp.resolve("tiny-bevt.conf");
    Files.writeString(conf, TINY_BEVT);
    // a relative output folder, as users type it
    Path out = Path.of("").toAbsolutePath().relativize(tmp.resolve("cmp"));
    CliHarness.Run r = CliHarness.runWithRepoPlugins("compare-tokenizers", "-c", conf.toString(), "--types", "dalle,peco",
        "--dataset", "--samples", "8", "--maps", "0", "--experiment", "--output", out.toString());
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("top-1").contains("experiment.md");
    JsonObject j = JsonParser.parseString(Files.readString(out.resolve("experiment.json"))).getAsJsonObject();
    JsonArray toks = j.getAsJsonArray("tokenizers");
    assertThat(toks).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonObject t = toks.get(i).getAsJsonObject();
      assertThat(t.get("name").getAsString()).isEqualTo(i == 0 ? "dalle" : "peco");
      assertThat(t.get("steps").getAsLong()).isEqualTo(4);
      assertThat(t.get("final_loss").getAsDouble()).isPositive();
      JsonObject probe = t.getAsJsonObject("probe");
      assertThat(probe.get("top1").getAsDouble()).isBetween(0.0, 1.0);
      assertThat(probe.get("train_samples").getAsInt() + probe.get("val_samples").getAsInt()).isEqualTo(16);
      Path run = Path.of(t.get("run_dir").getAsString());
      assertThat(run).startsWith(out.toAbsolutePath().resolve("experiment"));
      assertThat(run.resolve("checkpoints")).isDirectory();
      assertThat(run.resolve("probe/probe.json")).isRegularFile();
      assertThat(run.resolve("config.resolved.conf")).content().contains("type=" + t.get("type").getAsString());
    }
    assertThat(out.resolve("plots/experiment.png")).isRegularFile();
    assertThat(Files.readString(out.resolve("experiment.md"))).contains("| dalle | dalle | 4 |").contains("| peco | peco | 4 |");
    assertThat(Files.readString(out.resolve("report.md"))).contains("## Pretraining experiment");
  }
}
