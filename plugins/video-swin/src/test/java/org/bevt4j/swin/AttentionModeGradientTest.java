package org.bevt4j.swin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.Scalars;
import org.bevt4j.nn.fused.Attention;
import org.bevt4j.testkit.TensorAssert;
import org.junit.jupiter.api.Test;

/**
 * A BEVT training step (both streams: masked backbone, decoders, vocabulary head, masked CE) gives
 * the same loss and the same gradient for every parameter with fused and with composite window
 * attention (same weights, same batch, project tolerance); and so does a padded, shifted video
 * grid without decoders.
 */
class AttentionModeGradientTest {
  static final int VOCAB = 11;

  @Test
  void bevtStepAgreesBetweenModes() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(5);
      SwinConfig cfg = TinyConfigs.bevt().build();
      NDArray video = m.randomNormal(new Shape(2, 3, 4, 16, 16));
      NDArray images = m.randomNormal(new Shape(3, 3, 16, 16));
      NDArray vmask = GradientFlowTest.checker(m, 2, 2, 4, 4);
      NDArray imask = GradientFlowTest.checker(m, 3, 1, 4, 4).squeeze(1);
      Map<String, TensorData> reference = null;
      Map<String, TensorData> weights = null;
      for (Attention.Mode mode : new Attention.Mode[] {Attention.Mode.COMPOSITE, Attention.Mode.FUSED}) {
        SwinTransformer3D model = new SwinTransformer3D(cfg, mode);
        model.initialize(m);
        Linear head = new Linear(model.numFeatures(), VOCAB, true, Init.truncNormal(0.02), Init.zeros());
        head.initialize(m);
        if (weights == null) {
          weights = snapshot(model, head);
        } else {
          StateDictBinder.bindStrict(model, new StateDict(weights, "composite").select("backbone."));
          StateDictBinder.bindStrict(head, new StateDict(weights, "composite").select("head."));
        }
        Map<String, TensorData> grads = new LinkedHashMap<>();
        try (NDScope scope = new NDScope();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray lv = maskedCe(head, model.bevtHeads().decodeVideo(model.forwardVideo(video, vmask, true)), m, 1);
          NDArray li = maskedCe(head, model.bevtHeads().decodeImage(model.forwardImage(images, imask, true)), m, 2);
          NDArray loss = lv.add(li);
          grads.put("loss", TensorData.of(loss));
          gc.backward(loss);
          collect(grads, "backbone.", model.namedParameters());
          collect(grads, "head.", head.namedParameters());
        }
        if (reference == null) {
          reference = grads;
          assertThat(grads).hasSizeGreaterThan(40);
        } else {
          compare(mode, grads, reference);
        }
      }
    }
  }

  @Test
  void paddedShiftedVideoAgreesBetweenModes() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(9);
      // grid (2, 4, 5): w padded to 6, h and w shifted, d clipped to the grid
      SwinConfig cfg = TinyConfigs.bevt().bevt(false).build();
      NDArray video = m.randomNormal(new Shape(1, 3, 4, 16, 20));
      Map<String, TensorData> reference = null;
      Map<String, TensorData> weights = null;
      NDArray probe = null;
      for (Attention.Mode mode : new Attention.Mode[] {Attention.Mode.COMPOSITE, Attention.Mode.FUSED}) {
        SwinTransformer3D model = new SwinTransformer3D(cfg, mode);
        model.initialize(m);
        if (weights == null) {
          weights = StateDictBinder.snapshot(model);
        } else {
          StateDictBinder.bindStrict(model, new StateDict(weights, "composite"));
        }
        Map<String, TensorData> grads = new LinkedHashMap<>();
        try (NDScope scope = new NDScope();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          BackboneOutput out = model.forwardVideo(video, null, true);
          NDArray f = out.get(SwinTransformer3D.FEATURES).features();
          if (probe == null) {
            probe = m.randomNormal(f.getShape());
            NDScope.unregister(probe);
          }
          NDArray loss = f.mul(probe).sum();
          grads.put("features", TensorData.of(f));
          gc.backward(loss);
          collect(grads, "", model.namedParameters());
        }
        if (reference == null) {
          reference = grads;
        } else {
          compare(mode, grads, reference);
        }
      }
    }
  }

  @Test
  void windowCachesAreBuiltOnceAndHitAfterwards() {
    try (NDManager m = NDManager.newBaseManager()) {
      SwinTransformer3D model = new SwinTransformer3D(TinyConfigs.bevt().build());
      model.initialize(m);
      NDArray video = m.randomNormal(new Shape(1, 3, 4, 16, 20));
      NDArray images = m.randomNormal(new Shape(2, 3, 16, 16));
      try (NDScope scope = new NDScope()) {
        model.forwardVideo(video, null, false);
        model.forwardImage(images, null, false);
      }
      long built = model.caches().misses();
      int arrays = model.caches().size();
      assertThat(built).isEqualTo(arrays).isPositive();
      long hits = model.caches().hits();
      for (int step = 0; step < 2; step++) {
        try (NDScope scope = new NDScope()) {
          model.forwardVideo(video, null, false);
          model.forwardImage(images, null, false);
        }
      }
      // same shapes: no index or mask is rebuilt, every lookup of the first pass hits (twice)
      assertThat(model.caches().misses()).isEqualTo(built);
      assertThat(model.caches().size()).isEqualTo(arrays);
      assertThat(model.caches().hits() - hits).isEqualTo(2 * (hits + built));
    }
  }

  /** Mean CE over every other position against fixed pseudo-random targets. */
  private static NDArray maskedCe(Linear head, NDArray features, NDManager m, int salt) {
    Shape s = features.getShape();
    long n = s.get(0) * s.get(1);
    long[] rows = new long[(int) ((n + 1) / 2)];
    long[] targets = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = 2L * i;
      targets[i] = (i * 7L + salt) % VOCAB;
    }
    NDArray selected = features.reshape(n, s.get(2)).get(new NDIndex("{}", m.create(rows)));
    NDArray logp = head.forward(selected).logSoftmax(1);
    NDArray picked = logp.gather(m.create(targets, new Shape(rows.length, 1)), 1);
    return Scalars.div(picked.sum().neg(), rows.length);
  }

  private static Map<String, TensorData> snapshot(SwinTransformer3D model, Linear head) {
    Map<String, TensorData> w = new LinkedHashMap<>();
    StateDictBinder.snapshot(model).forEach((k, v) -> w.put("backbone." + k, v));
    StateDictBinder.snapshot(head).forEach((k, v) -> w.put("head." + k, v));
    return w;
  }

  private static void collect(Map<String, TensorData> out, String prefix, Map<String, Param> params) {
    params.forEach((k, p) -> {
      if (p.isTrainable() && p.array().hasGradient()) {
        out.put(prefix + k, TensorData.of(p.array().getGradient()));
      }
    });
  }

  private static void compare(Attention.Mode mode, Map<String, TensorData> got, Map<String, TensorData> ref) {
    assertThat(got.keySet()).isEqualTo(ref.keySet());
    try (NDManager tmp = NDManager.newBaseManager()) {
      ref.forEach((k, expected) ->
          TensorAssert.assertClose(mode.configName() + " " + k, got.get(k).toFloat32(tmp), expected));
    }
    assertThat(got.keySet()).anyMatch(k -> k.contains("relative_position_bias_table"));
  }
}
