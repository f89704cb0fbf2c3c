package org.bevt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.bevt4j.testkit.ReferenceFixture;
import org.bevt4j.testkit.TensorAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bevt4j forward} against the reference fixtures: the configuration is built from each
 * fixture's constructor_config, the weights come from the fixture (or a PyTorch checkpoint of them),
 * and every listed output is compared.
 */
class ForwardCommandTest {
  @TempDir Path tmp;

  /** The tokenizer settings that reproduce a DALL-E fixture's constructor_config (upstream names). */
  static String dalleConfig(JsonObject cc, int inputSize) {
    assumeTrue(!cc.has("group_count") || cc.get("group_count").getAsInt() == 4, "the dalle plugin has 4 groups");
    assumeTrue(!cc.has("input_channels") || cc.get("input_channels").getAsInt() == 3, "the dalle plugin reads RGB");
    StringBuilder sb = new StringBuilder("bevt.model.tokenizer.type = dalle\nbevt.model.tokenizer.dalle {\n");
    Map<String, String> names = Map.of("n_hid", "n-hid", "n_blk_per_group", "n-blk-per-group", "vocab_size", "vocab-size",
        "logit_laplace_eps", "logit-laplace-eps");
    names.forEach((up, ours) -> {
      if (cc.has(up)) {
        sb.append("  ").append(ours).append(" = ").append(cc.get(up).getAsString()).append('\n');
      }
    });
    sb.append("  input-size = ").append(inputSize).append("\n}\n");
    return sb.toString();
  }

  /**
   * Backbone settings reproducing an upstream constructor_config: each snake_case argument becomes the
   * plugin's kebab-case key with the same (JSON, hence HOCON) value; {@code skipped} arguments are left out.
   */
  static String backboneConfig(String type, JsonObject cc, List<String> skipped, String extra) {
    StringBuilder sb = new StringBuilder("bevt.model.backbone.type = " + type + "\nbevt.model.backbone." + type + " {\n" + extra);
    for (var e : cc.entrySet()) {
      if (!skipped.contains(e.getKey())) {
        sb.append("  ").append(e.getKey().replace('_', '-')).append(" = ").append(e.getValue()).append('\n');
      }
    }
    return sb.append("}\n").toString();
  }

  static String timesformerConfig(JsonObject cc) {
    return backboneConfig("timesformer", cc, List.of("hybrid_backbone", "norm_layer", "dropout"), "");
  }

  /** Video Swin from upstream arguments alone: no preset, not in BEVT mode. */
  static String videoSwinConfig(JsonObject cc, String extra) {
    return backboneConfig("video-swin", cc, List.of(), "  preset = null\n  bevt = false\n" + extra);
  }

  private StateDict forwardBackbone(String type, Path conf, Path weights, Path input, String outName) {
    Path out = tmp.resolve(outName);
    CliHarness.Run r = CliHarness.runWithRepoPlugins("forward", "--component", "backbone", "--type", type, "-c", conf.toString(),
        "--weights", weights.toString(), "--input", input.toString(), "--output", out.toString());
    assertThat(r.code()).as(r.all()).isZero();
    return SafeTensors.read(out);
  }

  @Test
  void timesformerBackboneMatchesEveryFixtureCase() throws Exception {
    List<ReferenceFixture> fixtures = ReferenceFixture.allFor("timesformer");
    assertThat(fixtures).isNotEmpty();
    int checked = 0;
    try (NDManager m = NDManager.newBaseManager()) {
      for (ReferenceFixture f : fixtures) {
        for (ReferenceFixture.Case c : f.cases()) {
          StateDict ref = c.tensors();
          if (!ref.contains("in.x") || !ref.contains("out.features")) {
            continue;
          }
          Path conf = tmp.resolve(f + "-" + c.name() + ".conf");
          Files.writeString(conf, timesformerConfig(f.constructorConfig(c)));
          StateDict got = forwardBackbone("timesformer", conf, f.dir().resolve("weights.safetensors"), caseFile(f, c),
              f + "-" + c.name() + ".out.safetensors");
          assertThat(got.keys()).as(c.toString()).containsExactly("out.tokens");
          // the backbone's token sequence starts with the normed class token: upstream forward_features
          TensorAssert.assertClose(c + " out.features", got.get("out.tokens").toNDArray(m).get(":, 0, :"), ref.get("out.features"));
          checked++;
        }
      }
    }
    assertThat(checked).isPositive();
  }

  @Test
  void timesformerCheckpointAndSafetensorsGiveIdenticalFeatures() throws Exception {
    Path pyth = Path.of(System.getProperty("bevt4j.checkpoints.dir")).resolve("timesformer.pyth");
    assumeTrue(Files.isRegularFile(pyth), "no timesformer.pyth checkpoint fixture");
    ReferenceFixture f = ReferenceFixture.open("timesformer");
    assumeTrue(StateDict.load(pyth).stripPrefixes("model.").keys().containsAll(f.weights().keys()),
        "the checkpoint fixture holds other weights than " + f);
    ReferenceFixture.Case c = f.cases().get(0);
    Path conf = tmp.resolve("tsf.conf");
    Files.writeString(conf, timesformerConfig(f.constructorConfig(c)));
    StateDict a = forwardBackbone("timesformer", conf, f.dir().resolve("weights.safetensors"), caseFile(f, c), "a.safetensors");
    StateDict b = forwardBackbone("timesformer", conf, pyth, caseFile(f, c), "b.safetensors");
    for (String k : a.keys()) {
      assertThat(b.get(k).bitEquals(a.get(k))).as(k + " identical from .pyth and .safetensors").isTrue();
    }
  }

  @Test
  void videoSwinBackboneMatchesEveryFixtureCase() throws Exception {
    List<ReferenceFixture> fixtures = ReferenceFixture.allFor("video_swin");
    assertThat(fixtures).isNotEmpty();
    int checked = 0;
    try (NDManager m = NDManager.newBaseManager()) {
      for (ReferenceFixture f : fixtures) {
        for (ReferenceFixture.Case c : f.cases()) {
          StateDict ref = c.tensors();
          Path conf = tmp.resolve(f + "-" + c.name() + ".conf");
          Files.writeString(conf, videoSwinConfig(f.constructorConfig(c), ""));
          StateDict got = forwardBackbone("video-swin", conf, f.dir().resolve("weights.safetensors"), caseFile(f, c),
              f + "-" + c.name() + ".out.safetensors");
          for (String o : c.outputs()) {
            assertThat(got.contains(o)).as(c + ": forward wrote " + got.keys() + ", fixture lists " + o).isTrue();
            TensorAssert.assertClose(c + " " + o, got.get(o).toNDArray(m), ref.get(o));
            checked++;
          }
        }
      }
    }
    assertThat(checked).isPositive();
  }

  @Test
  void videoSwinMmactionCheckpointGivesTheSameOutputs() throws Exception {
    Path pth = Path.of(System.getProperty("bevt4j.checkpoints.dir")).resolve("mmaction_video_swin.pth");
    assumeTrue(Files.isRegularFile(pth), "no mmaction_video_swin.pth checkpoint fixture");
    ReferenceFixture f = ReferenceFixture.open("video_swin");
    assumeTrue(StateDict.load(pth).select("backbone.").keys().containsAll(f.weights().keys()),
        "the checkpoint fixture holds other weights than " + f);
    ReferenceFixture.Case c = f.cases().get(0);
    Path conf = tmp.resolve("swin.conf");
    // weights-prefix = auto keeps the checkpoint's backbone.* tensors; its BatchNorm counter
    // backbone.num_batches_tracked has no parameter in Video Swin, hence non-strict loading
    Files.writeString(conf, videoSwinConfig(f.constructorConfig(c), "  weights-prefix = auto\n  weights-strict = false\n"));
    StateDict a = forwardBackbone("video-swin", conf, f.dir().resolve("weights.safetensors"), caseFile(f, c), "a.safetensors");
    StateDict b = forwardBackbone("video-swin", conf, pth, caseFile(f, c), "b.safetensors");
    Path wrong = pth.resolveSibling("wrong_shape.safetensors");
    if (Files.isRegularFile(wrong)) {
      CliHarness.Run bad = CliHarness.runWithRepoPlugins("forward", "--component", "backbone", "--type", "video-swin", "-c", conf.toString(),
          "--weights", wrong.toString(), "--input", caseFile(f, c).toString(), "--output", tmp.resolve("bad.safetensors").toString());
      assertThat(bad.code()).as(bad.all()).isEqualTo(2);
      assertThat(bad.err()).contains("wrong_shape.safetensors").contains("patch_embed.proj.weight: expected").doesNotContain("\tat ");
    }
    assertThat(b.keys()).isEqualTo(a.keys());
    for (String k : a.keys()) {
      assertThat(b.get(k).bitEquals(a.get(k))).as(k + " identical from .pth and .safetensors").isTrue();
    }
  }

  private Path caseFile(ReferenceFixture f, ReferenceFixture.Case c) {
    return f.dir().resolve("case_" + c.name() + ".safetensors");
  }

  private StateDict forwardTokenizer(Path conf, Path weights, Path input, String outName) {
    Path out = tmp.resolve(outName);
    CliHarness.Run r = CliHarness.runWithRepoPlugins("forward", "--component", "tokenizer", "--type", "dalle", "-c", conf.toString(),
        "--weights", weights.toString(), "--input", input.toString(), "--output", out.toString());
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("out.token_ids I64");
    return SafeTensors.read(out);
  }

  @Test
  void dalleTokenizerMatchesEveryFixtureCase() throws Exception {
    List<ReferenceFixture> fixtures = ReferenceFixture.allFor("dalle_encoder");
    assertThat(fixtures).isNotEmpty();
    int checked = 0;
    try (NDManager m = NDManager.newBaseManager()) {
      for (ReferenceFixture f : fixtures) {
        for (ReferenceFixture.Case c : f.cases()) {
          StateDict ref = c.tensors();
          if (!ref.contains("in.pixels")) {
            continue;
          }
          long[] shape = ref.get("in.pixels").shape();
          Path conf = tmp.resolve(f + "-" + c.name() + ".conf");
          Files.writeString(conf, dalleConfig(f.constructorConfig(c), (int) shape[2]));
          StateDict got = forwardTokenizer(conf, f.dir().resolve("weights.safetensors"), caseFile(f, c), f + "-" + c.name() + ".out.safetensors");
          for (String o : c.outputs()) {
            assertThat(got.contains(o)).as(c + ": forward wrote " + got.keys() + ", fixture lists " + o).isTrue();
            TensorAssert.assertClose(c + " " + o, got.get(o).toNDArray(m), ref.get(o));
            checked++;
          }
        }
      }
    }
    assertThat(checked).isPositive();
  }

  @Test
  void pickledModuleWeightsGiveIdenticalOutputs() throws Exception {
    Path pkl = Path.of(System.getProperty("bevt4j.checkpoints.dir")).resolve("dalle_encoder_module.pkl");
    assumeTrue(Files.isRegularFile(pkl), "no dalle_encoder_module.pkl checkpoint fixture");
    ReferenceFixture f = ReferenceFixture.open("dalle_encoder");
    StateDict fromPkl = StateDict.load(pkl);
    StateDict reference = f.weights();
    assumeTrue(fromPkl.keys().equals(reference.keys()), "the checkpoint fixture holds other weights than " + f);
    ReferenceFixture.Case c = f.cases().get(0);
    StateDict ref = c.tensors();
    Path conf = tmp.resolve("pkl.conf");
    Files.writeString(conf, dalleConfig(f.constructorConfig(c), (int) ref.get("in.pixels").shape()[2]));
    StateDict a = forwardTokenizer(conf, f.dir().resolve("weights.safetensors"), caseFile(f, c), "a.safetensors");
    StateDict b = forwardTokenizer(conf, pkl, caseFile(f, c), "b.safetensors");
    assertThat(b.keys()).isEqualTo(a.keys());
    for (String k : a.keys()) {
      assertThat(b.get(k).bitEquals(a.get(k))).as(k + " identical from .pkl and .safetensors").isTrue();
    }
    assertThat(a.get("out.token_ids").toLongs()).containsExactly(ref.get("out.token_ids").toLongs());
  }

  @Test
  void missingInputsAreNamed() throws Exception {
    ReferenceFixture f = ReferenceFixture.open("dalle_encoder");
    ReferenceFixture.Case c = f.cases().get(0);
    Path conf = tmp.resolve("t.conf");
    Files.writeString(conf, dalleConfig(f.constructorConfig(c), 48));
    Path noPixels = tmp.resolve("no-pixels.safetensors");
    SafeTensors.write(noPixels, Map.of("in.x", TensorData.ofFloats(new float[3 * 8 * 8], 1, 3, 8, 8)));
    CliHarness.Run r = CliHarness.runWithRepoPlugins("forward", "--component", "tokenizer", "--type", "dalle", "-c", conf.toString(),
        "--input", noPixels.toString(), "--output", tmp.resolve("o.safetensors").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(noPixels.toString()).contains("expected in.pixels").contains("[in.x]");

    CliHarness.Run missing = CliHarness.runWithRepoPlugins("forward", "--component", "tokenizer", "--type", "dalle",
        "--input", tmp.resolve("absent.safetensors").toString(), "--output", tmp.resolve("o.safetensors").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("absent.safetensors: no such file");

    Path notST = tmp.resolve("junk.safetensors");
    Files.writeString(notST, "junk");
    CliHarness.Run junk = CliHarness.runWithRepoPlugins("forward", "--component", "tokenizer", "--type", "dalle",
        "--input", notST.toString(), "--output", tmp.resolve("o.safetensors").toString());
    assertThat(junk.code()).isEqualTo(2);
    assertThat(junk.err()).contains("junk.safetensors");

    Path outOfRange = tmp.resolve("range.safetensors");
    float[] px = new float[3 * 16 * 16];
    java.util.Arrays.fill(px, 2f);
    SafeTensors.write(outOfRange, Map.of("in.pixels", TensorData.ofFloats(px, 1, 3, 16, 16)));
    CliHarness.Run range = CliHarness.runWithRepoPlugins("forward", "--component", "tokenizer", "--type", "dalle", "-c", conf.toString(),
        "--input", outOfRange.toString(), "--output", tmp.resolve("o.safetensors").toString());
    assertThat(range.code()).isEqualTo(2);
    assertThat(range.err()).contains("range.safetensors").contains("[0, 1]");

    CliHarness.Run unknown = CliHarness.runWithRepoPlugins("forward", "--component", "backbone", "--type", "no-such-backbone",
        "--input", outOfRange.toString(), "--output", tmp.resolve("o.safetensors").toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("no-such-backbone").contains("is unknown");
  }
}
