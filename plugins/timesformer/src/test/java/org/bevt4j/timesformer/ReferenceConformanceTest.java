package org.bevt4j.timesformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.nn.fused.Attention;
import org.bevt4j.testkit.ReferenceFixture;
import org.bevt4j.testkit.TensorAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of every fixture whose {@code config.json} names model {@code timesformer}: the model is
 * built from {@code constructor_config} (+ the case's {@code constructor_overrides}), loaded strictly
 * from {@code weights.safetensors} minus exactly {@code weights_keys_unused}, and every {@code out.*}
 * and every {@code mid.*} the forward can tap are compared with the project tolerance, with both
 * attention modes (composite and fused).
 */
class ReferenceConformanceTest {
  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (ReferenceFixture f : ReferenceFixture.allFor("timesformer")) {
      for (ReferenceFixture.Case c : f.cases()) {
        for (Attention.Mode mode : Attention.Mode.values()) {
          out.add(Arguments.of(f, c, mode));
        }
      }
    }
    return out.stream();
  }

  @Test
  void thereAreFixtures() {
    assertThat(ReferenceFixture.allFor("timesformer")).isNotEmpty();
  }

  @ParameterizedTest(name = "{1} [{2}]")
  @MethodSource("cases")
  void matchesUpstream(ReferenceFixture f, ReferenceFixture.Case c, Attention.Mode mode) {
    try (NDManager m = NDManager.newBaseManager();
        NDScope scope = new NDScope()) {
      VisionTransformer model = VisionTransformer.fromUpstreamJson(f.constructorConfig(c).toString(), mode, m);
      assertThat(model.attentionMode()).isEqualTo(mode);
      StateDict weights = f.weights();
      Set<String> unused = c.unusedWeightKeys();
      assertThat(weights.keys()).as("weights_keys_unused must name keys of the weights").containsAll(unused);
      for (String k : unused) {
        assertThat(model.namedParameters()).as("weights_keys_unused must be keys the model lacks").doesNotContainKey(k);
      }
      BindReport report = StateDictBinder.bindStrict(model, weights.without(unused::contains));
      assertThat(report.loaded()).hasSize(model.namedParameters().size());

      StateDict t = c.tensors();
      assertThat(c.inputs()).as("inputs this test knows how to feed").containsExactly("in.x");
      NDArray x = t.get("in.x").toFloat32(m);
      Map<String, NDArray> mids = new LinkedHashMap<>();
      NDArray features = model.forwardTraced(x, null, false, mids::put);
      assertThat(c.outputs()).isNotEmpty();
      for (String out : c.outputs()) {
        NDArray actual =
            switch (out) {
              case "out.features" -> features;
              case "out.logits" -> model.logits(features);
              default -> throw new AssertionError(c + ": output " + out + " has no Java counterpart");
            };
        TensorAssert.assertClose(c + " " + out, actual, t.get(out));
      }
      List<String> untapped = new ArrayList<>();
      int checked = 0;
      for (String k : t.keys()) {
        if (!k.startsWith("mid.")) {
          continue;
        }
        NDArray mid = mids.get(k.substring(4));
        if (mid == null) {
          untapped.add(k);
        } else {
          TensorAssert.assertClose(c + " " + k, mid, t.get(k));
          checked++;
        }
      }
      // The forward taps tokens_in, every block and norm; any such fixture intermediate must be compared.
      assertThat(untapped).as("fixture intermediates with a Java tap name").noneMatch(k -> k.matches("mid\\.(tokens_in|blocks\\.\\d+|norm)"));
      if (!untapped.isEmpty()) {
        System.out.println(c + ": intermediates without a Java counterpart (not compared): " + untapped);
      }
      assertThat(checked + untapped.size()).isEqualTo((int) t.keys().stream().filter(k -> k.startsWith("mid.")).count());
    }
  }
}
