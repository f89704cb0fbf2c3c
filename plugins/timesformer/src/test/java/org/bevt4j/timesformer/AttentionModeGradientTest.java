package org.bevt4j.timesformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.api.StreamKind;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.fused.Attention;
import org.bevt4j.testkit.TensorAssert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A BEVT training step of both streams (masked backbone, decoders, vocabulary head, masked CE)
 * gives the same loss and the same gradient for every parameter with fused and with composite
 * attention (same weights and batches, project tolerance), for each attention type.
 */
class AttentionModeGradientTest {
  @ParameterizedTest
  @ValueSource(strings = {TrainingTest.IDENTITY, TrainingTest.MERGE, TrainingTest.SPLIT, TrainingTest.SPACE_ONLY})
  void trainingStepAgreesBetweenModes(String extra) {
    try (NDManager m = NDManager.newBaseManager()) {
      TimeSformerConfig c = TrainingTest.tiny(extra);
      Map<String, TensorData> weights = null;
      Map<String, TensorData> reference = null;
      for (Attention.Mode mode : new Attention.Mode[] {Attention.Mode.COMPOSITE, Attention.Mode.FUSED}) {
        Engine.getInstance().setRandomSeed(3);
        ToyBevt toy = new ToyBevt(c, mode, m, 2, 4, 32, 17);
        assertThat(toy.model.attentionMode()).isEqualTo(mode);
        if (weights == null) {
          // temporal_fc starts at zero upstream, which would hide the temporal branch's gradients
          toy.parameters().forEach((k, p) -> {
            if (k.contains("temporal_fc.weight")) {
              p.copyFrom(Init.truncNormal(0.05).create(m, p.shape()));
            }
          });
          weights = new LinkedHashMap<>();
          for (Map.Entry<String, Param> e : toy.parameters().entrySet()) {
            weights.put(e.getKey(), TensorData.of(e.getValue().array()));
          }
        } else {
          bind(toy, weights);
        }
        Map<String, TensorData> grads = new LinkedHashMap<>();
        try (NDScope scope = new NDScope();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray loss = toy.loss(EnumSet.allOf(StreamKind.class));
          grads.put("loss", TensorData.of(loss));
          gc.backward(loss);
          toy.parameters().forEach((k, p) -> {
            if (p.isTrainable() && p.array().hasGradient()) {
              grads.put(k, TensorData.of(p.array().getGradient()));
            }
          });
        }
        if (reference == null) {
          reference = grads;
          assertThat(grads.keySet()).anyMatch(k -> k.contains(".attn.qkv.weight"));
        } else {
          assertThat(grads.keySet()).isEqualTo(reference.keySet());
          for (Map.Entry<String, TensorData> e : reference.entrySet()) {
            TensorAssert.assertClose(mode.configName() + " " + e.getKey(), grads.get(e.getKey()).toFloat32(m), e.getValue());
          }
        }
      }
    }
  }

  private static void bind(ToyBevt toy, Map<String, TensorData> weights) {
    StateDict all = new StateDict(weights, "composite");
    StateDictBinder.bindStrict(toy.model, all.select("backbone."));
    StateDictBinder.bindStrict(toy.head, all.select("lm_head."));
    StateDictBinder.bindStrict(toy.imageDecoder, all.select("decoder.image."));
    StateDictBinder.bindStrict(toy.videoDecoder, all.select("decoder.video."));
  }
}
