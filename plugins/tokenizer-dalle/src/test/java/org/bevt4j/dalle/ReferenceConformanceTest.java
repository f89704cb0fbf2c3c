package org.bevt4j.dalle;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.bevt4j.testkit.ReferenceFixture;
import org.bevt4j.testkit.TensorAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The DALL-E encoder against every {@code dalle_encoder} reference fixture: the model is built from
 * the fixture's {@code constructor_config} (+ case overrides), loaded from {@code weights.safetensors},
 * and every listed {@code out.*} tensor plus every {@code mid.*} capture is compared (floats with the
 * project tolerance, token ids exactly).
 */
class ReferenceConformanceTest {
  @TestFactory
  List<DynamicTest> everyFixtureCase() {
    List<ReferenceFixture> fixtures = ReferenceFixture.allFor("dalle_encoder");
    assertThat(fixtures).as("dalle_encoder fixtures under %s", ReferenceFixture.root()).isNotEmpty();
    List<DynamicTest> tests = new ArrayList<>();
    for (ReferenceFixture f : fixtures) {
      for (ReferenceFixture.Case c : f.cases()) {
        tests.add(DynamicTest.dynamicTest(c.toString(), () -> check(f, c)));
      }
    }
    return tests;
  }

  private static void check(ReferenceFixture f, ReferenceFixture.Case c) {
    StateDict t = c.tensors();
    TensorData pixels = t.find("in.pixels").orElse(null);
    TensorData mapped = t.find("in.x").orElse(null);
    assertThat(pixels != null || mapped != null).as("%s has in.pixels or in.x", c).isTrue();
    long[] inShape = (pixels != null ? pixels : mapped).shape();
    int d = DalleEncoderConfig.DOWNSAMPLING;
    boolean tokenizerSized = inShape[2] % d == 0 && inShape[3] % d == 0;
    try (NDManager m = NDManager.newBaseManager()) {
      DalleTokenizer tok = DalleTokenizer.fromUpstreamConfig(f.constructorConfig(c).toString(), m);
      tok.load(f.weights().without(c.unusedWeightKeys()::contains));
      if (f.config().has("param_count")) {
        assertThat(tok.encoder().parameterCount()).isEqualTo(f.config().get("param_count").getAsLong());
      }
      NDArray x;
      if (pixels != null) {
        NDArray p = pixels.toFloat32(m);
        if (mapped != null) {
          TensorAssert.assertClose(c + " map_pixels(in.pixels) vs in.x", tok.mapPixels(p), mapped);
        }
        x = mapped != null ? mapped.toFloat32(m) : tok.mapPixels(p);
        if (tokenizerSized) {
          // the public path (validation + map_pixels + encoder + argmax) must agree too
          compareOutputs(c, t, tok.logits(p), tok.encode(p), "Tokenizer.encode(in.pixels)");
        }
      } else {
        x = mapped.toFloat32(m);
      }
      if (tokenizerSized) {
        NDArray viaMapped = tok.logitsFromMapped(x);
        compareOutputs(c, t, viaMapped, viaMapped.argMax(1), "logitsFromMapped(in.x)");
      }
      // the encoder itself, at any input size (upstream floors odd sizes in the max-pools)
      Map<String, NDArray> mids = tok.encoder().forwardWithIntermediates(x);
      NDArray logits = mids.get("blocks.output");
      compareOutputs(c, t, logits, logits.argMax(1), "encoder(in.x)");
      for (String k : t.keys()) {
        if (k.startsWith("mid.")) {
          NDArray mine = mids.get(k.substring(4));
          assertThat(mine).as("%s: intermediate %s is produced by the Java encoder", c, k).isNotNull();
          TensorAssert.assertClose(c + " " + k, mine, t.get(k));
        }
      }
    }
  }

  private static void compareOutputs(
      ReferenceFixture.Case c, StateDict t, NDArray logits, NDArray ids, String via) {
    assertThat(ids.getDataType()).isEqualTo(DataType.INT64);
    for (String out : c.outputs()) {
      NDArray mine =
          switch (out) {
            case "out.logits" -> logits;
            case "out.token_ids" -> ids;
            default -> throw new AssertionError(c + ": unknown reference output " + out);
          };
      TensorAssert.assertClose(c + " " + out + " (from " + via + ")", mine, t.get(out));
    }
  }
}
