package org.bevt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.bevt4j.core.data.synthetic.SceneGenerator;
import org.bevt4j.core.data.synthetic.SyntheticWriter;
import org.bevt4j.core.data.video.VideoCodec;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bevt4j tokenize} with a tiny randomly initialised DALL-E tokenizer. */
class TokenizeCommandTest {
  @TempDir Path tmp;

  static final String TINY_DALLE = """
      bevt.model.tokenizer.type = dalle
      bevt.model.tokenizer.dalle { n-hid = 8, n-blk-per-group = 1, vocab-size = 64, input-size = 32 }
      """;

  private Path conf() throws Exception {
    Path c = tmp.resolve("tiny.conf");
    Files.writeString(c, TINY_DALLE);
    return c;
  }

  @Test
  void tokenizesAFolderOfImagesAndVideos() throws Exception {
    Path in = tmp.resolve("in");
    SyntheticWriter w = new SyntheticWriter(new SceneGenerator(3), 80, 64);
    w.writeImages(in.resolve("images"), 3, 0.9f);
    w.writeVideos(in.resolve("videos"), 1, 12, VideoCodec.MPEG4, 25, 6, 3);
    Path out = tmp.resolve("out");
    CliHarness.Run r = CliHarness.runWithRepoPlugins("tokenize", "-c", conf().toString(), "--input", in.toString(),
        "--output", out.toString(), "--frames", "5");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("tokenizer dalle (vocab 64, input 32x32 -> 4x4 tokens)")
        .contains("4 files, 8 pictures, 128 tokens").contains("codebook usage").contains("perplexity");
    StateDict ids = SafeTensors.read(out.resolve("ids.safetensors"));
    assertThat(ids.size()).isEqualTo(8);
    assertThat(ids.keys()).contains("images/00-disc/img_00000.jpg").anyMatch(k -> k.startsWith("videos/") && k.endsWith("/frame_000001"));
    for (String k : ids.keys()) {
      TensorData t = ids.get(k);
      assertThat(t.shape()).containsExactly(4, 4);
      assertThat(java.util.Arrays.stream(t.toLongs()).allMatch(v -> v >= 0 && v < 64)).isTrue();
    }
    assertThat(ids.metadata()).containsEntry("tokenizer", "dalle").containsEntry("vocab_size", "64");
    try (Stream<Path> pngs = Files.list(out.resolve("maps"))) {
      assertThat(pngs.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(8);
    }
    JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
    assertThat(summary.get("pictures").getAsInt()).isEqualTo(8);
    assertThat(summary.get("tokens").getAsLong()).isEqualTo(128);
    assertThat(summary.get("codebook_usage").getAsDouble()).isBetween(1 / 64.0, 1.0);
    assertThat(summary.get("perplexity").getAsDouble()).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void missingAndUnreadableInputsExitWith2NamingTheFile() throws Exception {
    Path missing = tmp.resolve("nope.png");
    CliHarness.Run r = CliHarness.runWithRepoPlugins("tokenize", "-c", conf().toString(), "--input", missing.toString(),
        "--output", tmp.resolve("o").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("error: " + missing + ": no such file or folder").doesNotContain("\tat ");

    Path bad = tmp.resolve("broken.jpg");
    Files.write(bad, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4, 5});
    CliHarness.Run b = CliHarness.runWithRepoPlugins("tokenize", "-c", conf().toString(), "--input", bad.toString(),
        "--output", tmp.resolve("o").toString());
    assertThat(b.code()).as(b.all()).isEqualTo(2);
    assertThat(b.err()).contains(bad.toString());

    CliHarness.Run w = CliHarness.runWithRepoPlugins("tokenize", "-c", conf().toString(), "--input", bad.toString(),
        "--weights", tmp.resolve("w.safetensors").toString(), "--output", tmp.resolve("o").toString());
    assertThat(w.code()).isEqualTo(2);
    assertThat(w.err()).contains("w.safetensors: no such file");

    CliHarness.Run t = CliHarness.runWithRepoPlugins("tokenize", "-c", conf().toString(), "--type", "dall-e",
        "--input", tmp.toString(), "--output", tmp.resolve("o").toString());
    assertThat(t.code()).isEqualTo(2);
  }
}
