package org.bevt4j.swin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.fused.Attention;
import org.bevt4j.testkit.ReferenceFixture;
import org.bevt4j.testkit.TensorAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of every fixture whose model is {@code video_swin} or {@code bevt_swin}: builds the
 * model from config.json (+ case overrides), loads weights.safetensors (minus the case's
 * weights_keys_unused, strictly), runs the inputs and compares every listed {@code out.*} and every
 * {@code mid.*} that names a captured intermediate; every case runs with both attention modes
 * (composite and fused) under the same tolerance.
 */
class ReferenceConformanceTest {

  @TestFactory
  Stream<DynamicTest> allCases() {
    List<DynamicTest> tests = new ArrayList<>();
    List<ReferenceFixture> fixtures = new ArrayList<>(ReferenceFixture.allFor(FixtureModels.VIDEO_SWIN));
    fixtures.addAll(ReferenceFixture.allFor(FixtureModels.BEVT_SWIN));
    assertThat(fixtures).as("fixture dirs for video_swin / bevt_swin under " + ReferenceFixture.root()).isNotEmpty();
    for (ReferenceFixture f : fixtures) {
      for (ReferenceFixture.Case c : f.cases()) {
        for (Attention.Mode mode : Attention.Mode.values()) {
          tests.add(DynamicTest.dynamicTest(c + " [" + mode.configName() + "]", () -> run(f, c, mode)));
        }
      }
    }
    return tests.stream();
  }

  private static void run(ReferenceFixture f, ReferenceFixture.Case c, Attention.Mode mode) {
    try (NDManager m = NDManager.newBaseManager()) {
      FixtureModels.Built built = FixtureModels.build(f, c, mode, m);
      assertThat(built.backbone().attentionMode()).isEqualTo(mode);
      StateDict t = c.tensors();
      Map<String, NDArray> taps = new LinkedHashMap<>();
      Taps capture = taps::put;
      NDArray mask = t.contains("in.mask") ? t.get("in.mask").toNDArray(m) : null;
      boolean image = t.contains("in.image");
      NDArray input = t.get(image ? "in.image" : t.contains("in.video") ? "in.video" : "in.x").toFloat32(m);
      BackboneOutput out =
          image
              ? built.backbone().forwardImage(input, mask, false, capture)
              : built.backbone().forwardVideo(input, mask, false, capture);
      Map<String, NDArray> results = new LinkedHashMap<>();
      if (built.lmHead() != null) {
        NDArray features =
            image ? built.backbone().bevtHeads().decodeImage(out) : built.backbone().bevtHeads().decodeVideo(out);
        results.put("out.features", features);
        results.put("out.logits", built.lmHead().forward(features));
      } else {
        results.put("out.features", out.get(SwinTransformer3D.FEATURES).features());
      }
      for (String name : c.outputs()) {
        NDArray actual = results.get(name);
        if (actual == null) {
          throw new AssertionError(c + ": output " + name + " is not produced by this port; produced: " + results.keySet());
        }
        TensorAssert.assertClose(c + " " + name, actual, t.get(name));
        var r = TensorAssert.compare(actual.toFloatArray(), t.get(name).toFloats(), 1e-4, 1e-4);
        System.out.printf("%s %s: max |diff| / max|ref| = %.2e%n", c, name, r.maxRelToMax());
      }
      int checked = 0;
      List<String> unmapped = new ArrayList<>();
      for (String key : t.keys()) {
        if (!key.startsWith("mid.")) {
          continue;
        }
        String name = key.substring(4);
        NDArray actual = taps.get(name.endsWith("_i8") ? name.substring(0, name.length() - 3) : name);
        if (actual == null) {
          unmapped.add(key);
          continue;
        }
        TensorData expected = t.get(key);
        TensorAssert.assertClose(c + " " + key, actual, expected);
        checked++;
      }
      System.out.println(c + ": outputs " + c.outputs() + " ok; " + checked + " intermediates ok"
          + (unmapped.isEmpty() ? "" : "; not mapped: " + unmapped));
    }
  }
}
