package org.bevt4j.peco;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
 * The VQGAN encode path against every {@code vqgan_peco_proxy} reference fixture: built from the
 * fixture's {@code constructor_config} (+ case overrides), loaded from {@code weights.safetensors};
 * every listed {@code out.*} (h, z, token ids, z_q, distances) and every {@code mid.*} capture is
 * compared (floats with the project tolerance, ids exactly). Also checks the public pixel path.
 */
class ReferenceConformanceTest {
  @TestFactory
  List<DynamicTest> everyFixtureCase() {
    List<ReferenceFixture> fixtures = ReferenceFixture.allFor("vqgan_peco_proxy");
    assertThat(fixtures).as("vqgan_peco_proxy fixtures under %s", ReferenceFixture.root()).isNotEmpty();
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
    TensorData modelIn = t.find("in.x").orElse(null);
    TensorData pixelsIn = t.find("in.pixels").orElse(null);
    assertThat(modelIn != null || pixelsIn != null).as("%s has in.x or in.pixels", c).isTrue();
    long[] inShape = (modelIn != null ? modelIn : pixelsIn).shape();
    try (NDManager m = NDManager.newBaseManager()) {
      PecoTokenizer tok = PecoTokenizer.fromUpstreamConfig(f.constructorConfig(c).toString(), m);
      tok.load(f.weights().without(c.unusedWeightKeys()::contains));
      if (f.config().has("param_count")) {
        assertThat(tok.model().parameterCount()).isEqualTo(f.config().get("param_count").getAsLong());
      }
      int fds = tok.settings().encoder().downsampling();
      boolean tokenizerSized = inShape[2] % fds == 0 && inShape[3] % fds == 0;
      NDArray x = modelIn != null ? modelIn.toFloat32(m) : tok.normalize(pixelsIn.toFloat32(m));

      // the model itself, at any input size (upstream floors odd sizes in the downsampling)
      compareOutputs(c, t, tok.model().encodeDetailed(x), "model(in.x)");
      if (tokenizerSized) {
        if (pixelsIn != null) {
          compareOutputs(c, t, tok.encodeDetailed(pixelsIn.toFloat32(m)), "encodeDetailed(in.pixels)");
          TensorAssert.assertClose(c + " encode(in.pixels)", tok.encode(pixelsIn.toFloat32(m)), t.get("out.token_ids"));
        } else {
          compareOutputs(c, t, tok.encodeDetailedFromModelInput(x), "encodeDetailedFromModelInput(in.x)");
          if (x.min().getFloat() >= -1f && x.max().getFloat() <= 1f && tok.settings().pixelRange() == PixelRange.MINUS_ONE_ONE) {
            // the public [0, 1] path: pixels = (x + 1) / 2, mapped back by 2p - 1 (rounding only)
            NDArray pixels = x.add(1f).div(2f).clip(0f, 1f);
            VqEncoding viaPixels = tok.encodeDetailed(pixels);
            TensorAssert.assertClose(c + " token ids via pixels", viaPixels.ids(), t.get("out.token_ids"));
            TensorAssert.assertClose(c + " ids from encode()", tok.encode(pixels), t.get("out.token_ids"));
            TensorAssert.assertClose(c + " h via pixels", viaPixels.h(), t.get("out.h"));
          }
        }
      }

      Map<String, NDArray> mids = tok.model().encoder().forwardWithIntermediates(x);
      NDArray z = tok.model().latent(x);
      for (String k : t.keys()) {
        if (k.startsWith("mid.")) {
          String name = k.substring(4);
          NDArray mine =
              name.startsWith("encoder.") ? mids.get(name.substring(8)) : name.equals("quant_conv") ? z : null;
          assertThat(mine).as("%s: intermediate %s is produced by the Java model", c, k).isNotNull();
          TensorAssert.assertClose(c + " " + k, mine, t.get(k));
        }
      }
    }
  }

  private static void compareOutputs(ReferenceFixture.Case c, StateDict t, VqEncoding e, String via) {
    for (String out : c.outputs()) {
      NDArray mine =
          switch (out) {
            case "out.h" -> e.h();
            case "out.z" -> e.z();
            case "out.token_ids" -> e.ids();
            case "out.z_q" -> e.zq();
            case "out.distances" -> e.distances();
            default -> throw new AssertionError(c + ": unknown reference output " + out);
          };
      TensorAssert.assertClose(c + " " + out + " (from " + via + ")", mine, t.get(out));
    }
  }
}
