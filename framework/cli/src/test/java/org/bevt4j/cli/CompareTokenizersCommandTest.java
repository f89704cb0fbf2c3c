package org.bevt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.bevt4j.core.data.synthetic.SceneGenerator;
import org.bevt4j.core.data.synthetic.SyntheticWriter;
import org.bevt4j.core.data.video.VideoCodec;
import org.bevt4j.testkit.ReferenceFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bevt4j compare-tokenizers} with tiny DALL-E and PeCo tokenizers. */
class CompareTokenizersCommandTest {
  @TempDir Path tmp;

  static final String TINY = """
      bevt.model.tokenizer.dalle { n-hid = 8, n-blk-per-group = 1, vocab-size = 64, input-size = 32 }
      bevt.model.tokenizer.peco { ch = 8, ch-mult = [1, 2, 2], num-res-blocks = 1, attn-resolutions = [], resolution = 32,
        z-channels = 8, embed-dim = 8, n-embed = 32, groups = 4, input-size = 32 }
      """;

  private Path conf(String extra) throws Exception {
    Path c = tmp.resolve("tiny.conf");
    Files.writeString(c, TINY + extra);
    return c;
  }

  @Test
  void comparesTwoTokenizersOnFilesAndWritesEveryReportFile() throws Exception {
    Path in = tmp.resolve("in");
    SyntheticWriter w = new SyntheticWriter(new SceneGenerator(5), 64, 48);
    w.writeImages(in, 4, 0.9f);
    w.writeVideos(in.resolve("v"), 1, 8, VideoCodec.MPEG4, 25, 4, 3);
    Path out = tmp.resolve("report");
    CliHarness.Run r = CliHarness.runWithRepoPlugins("compare-tokenizers", "-c", conf("").toString(), "--types", "dalle,peco",
        "--input", in.toString(), "--frames", "3", "--maps", "2", "--output", out.toString());
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("tokenizer").contains("dalle").contains("peco").contains("pairwise agreement");
    for (String f : new String[] {"report.md", "report.txt", "comparison.json", "plots/comparison.png", "maps/frame_000.png", "maps/frame_001.png"}) {
      assertThat(out.resolve(f)).as(f).isRegularFile();
    }
    assertThat(out.resolve("maps/frame_002.png")).doesNotExist();
    BufferedImage chart = ImageIO.read(out.resolve("plots/comparison.png").toFile());
    assertThat(chart.getWidth()).isGreaterThanOrEqualTo(900);
    BufferedImage row = ImageIO.read(out.resolve("maps/frame_000.png").toFile());
    assertThat(row.getWidth()).isGreaterThan(3 * 224);
    JsonObject j = JsonParser.parseString(Files.readString(out.resolve("comparison.json"))).getAsJsonObject();
    assertThat(j.get("frames").getAsInt()).isEqualTo(7);
    assertThat(j.get("labelled").getAsBoolean()).isFalse();
    JsonArray toks = j.getAsJsonArray("tokenizers");
    assertThat(toks).hasSize(2);
    for (var e : toks) {
      JsonObject t = e.getAsJsonObject();
      assertThat(t.keySet()).contains("name", "type", "vocab_size", "grid", "codebook_usage", "perplexity", "perplexity_normalised",
          "shift_stability", "sub_token_shift_stability", "flip_stability", "brightness_stability", "label_mutual_information_bits");
      assertThat(t.get("codebook_usage").getAsDouble()).isBetween(0.0, 1.0);
      assertThat(t.get("perplexity_normalised").getAsDouble()).isBetween(0.0, 1.0);
      assertThat(t.get("label_mutual_information_bits").isJsonNull()).isTrue();
    }
    assertThat(toks.get(0).getAsJsonObject().get("grid").getAsString()).isEqualTo("4x4");
    assertThat(toks.get(1).getAsJsonObject().get("grid").getAsString()).isEqualTo("8x8");
    JsonArray nmi = j.getAsJsonArray("pairwise_nmi");
    assertThat(nmi.get(0).getAsJsonArray().get(0).getAsDouble()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(Files.readString(out.resolve("report.md"))).contains("![comparison](plots/comparison.png)").contains("maps/frame_001.png")
        .contains("| dalle |");
  }

  @Test
  void comparesOnTheConfiguredLabelledDatasetWithWeightsPerTokenizer() throws Exception {
    ReferenceFixture f = ReferenceFixture.open("dalle_encoder");
    Path weights = f.dir().resolve("weights.safetensors");
    String data = """
        bevt.model.tokenizer.dalle { n-hid = %s, n-blk-per-group = %s, vocab-size = %s, input-size = 32 }
        bevt.data.image { crop-size = 32, eval.short-side = 40, synthetic { size = 12, width = 64, height = 48 } }
        """.formatted(f.constructorConfig().get("n_hid").getAsInt(), f.constructorConfig().get("n_blk_per_group").getAsInt(),
        f.constructorConfig().get("vocab_size").getAsInt());
    Path out = tmp.resolve("ds");
    CliHarness.Run r = CliHarness.runWithRepoPlugins("compare-tokenizers", "-c", conf(data).toString(),
        "--tokenizer", "random=dalle", "--tokenizer", "fixture=dalle:" + weights, "--dataset", "--samples", "8", "--maps", "1",
        "--output", out.toString());
    assertThat(r.code()).as(r.all()).isZero();
    JsonObject j = JsonParser.parseString(Files.readString(out.resolve("comparison.json"))).getAsJsonObject();
    assertThat(j.get("frames").getAsInt()).isEqualTo(8);
    assertThat(j.get("labelled").getAsBoolean()).isTrue();
    JsonArray toks = j.getAsJsonArray("tokenizers");
    assertThat(toks.get(0).getAsJsonObject().get("name").getAsString()).isEqualTo("random");
    assertThat(toks.get(1).getAsJsonObject().get("weights").getAsString()).isEqualTo(weights.toString());
    assertThat(toks.get(1).getAsJsonObject().get("label_mutual_information_bits").getAsDouble()).isGreaterThanOrEqualTo(0.0);
    assertThat(Files.readString(out.resolve("report.txt"))).contains("random").contains("fixture").contains("labelled");
  }

  @Test
  void usageErrorsExitWith2() throws Exception {
    Path c = conf("");
    Path o = tmp.resolve("o");
    CliHarness.Run both = CliHarness.runWithRepoPlugins("compare-tokenizers", "-c", c.toString(), "--input", tmp.toString(), "--dataset", "--output", o.toString());
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("exactly one of --input PATH and --dataset");
    CliHarness.Run one = CliHarness.runWithRepoPlugins("compare-tokenizers", "-c", c.toString(), "--types", "dalle", "--dataset", "--output", o.toString());
    assertThat(one.code()).isEqualTo(2);
    assertThat(one.err()).contains("two or more tokenizers");
    CliHarness.Run bad = CliHarness.runWithRepoPlugins("compare-tokenizers", "-c", c.toString(), "--tokenizer", "dalle", "--dataset", "--output", o.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("expected NAME=TYPE[:WEIGHTS]");
    CliHarness.Run noWeights = CliHarness.runWithRepoPlugins("compare-tokenizers", "-c", c.toString(), "--tokenizer", "a=dalle",
        "--tokenizer", "b=dalle:" + tmp.resolve("missing.pkl"), "--dataset", "--output", o.toString());
    assertThat(noWeights.code()).isEqualTo(2);
    assertThat(noWeights.err()).contains("missing.pkl: no such file");
    CliHarness.Run noInput = CliHarness.runWithRepoPlugins("compare-tokenizers", "-c", c.toString(), "--types", "dalle,peco",
        "--input", tmp.resolve("gone").toString(), "--output", o.toString());
    assertThat(noInput.code()).isEqualTo(2);
    assertThat(noInput.err()).contains("gone: no such file or folder");
  }
}
