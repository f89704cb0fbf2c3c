package org.bevt4j.timesformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.bevt4j.api.StreamKind;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Param;
import org.junit.jupiter.api.Test;

/**
 * One BEVT train step per stream with the TimeSformer decoders, a Linear vocabulary head and masked
 * CE: gradients reach exactly the parameters the stream uses; and the loss falls on a fixed batch.
 */
class TrainingTest {
  static TimeSformerConfig tiny(String extraJson) {
    com.google.gson.JsonObject o =
        com.google.gson.JsonParser.parseString(
                "{\"img_size\":32,\"patch_size\":16,\"embed_dim\":32,\"depth\":2,\"num_heads\":4,\"num_frames\":4,"
                    + "\"num_classes\":0,\"qkv_bias\":true,\"drop_path_rate\":0.0,\"mask_token\":true}")
            .getAsJsonObject();
    com.google.gson.JsonParser.parseString("{" + extraJson.replaceFirst("^,", "") + "}").getAsJsonObject().entrySet()
        .forEach(e -> o.add(e.getKey(), e.getValue()));
    return UpstreamConfig.parse(o.toString()).withoutDropout();
  }

  /** Identity decoders: patch 16 = mask cell 16, tubelet 1 (BEVT's geometry, scaled down). */
  static final String IDENTITY = "";
  /** Merge + temporal split: patch 8 < mask 16, tubelet 2, separate 2-D patch embed, image upstream mode. */
  static final String MERGE =
      ",\"patch_size\":8,\"mask_patch_size\":16,\"tubelet_size\":2,\"patch_embed_2d\":\"separate\",\"image_temporal\":\"upstream\"";
  /** Split: patch 16 > mask 8, joint space-time attention. */
  static final String SPLIT = ",\"mask_patch_size\":8,\"attention_type\":\"joint_space_time\"";
  /** Space-only attention with separate 2-D patch embed. */
  static final String SPACE_ONLY = ",\"attention_type\":\"space_only\",\"patch_embed_2d\":\"separate\"";

  private static Map<String, Boolean> gradients(ToyBevt toy, Set<StreamKind> streams) {
    Map<String, Param> params = toy.parameters();
    try (NDScope scope = new NDScope()) {
      for (Param p : params.values()) {
        if (p.array().hasGradient()) {
          p.array().getGradient().subi(p.array().getGradient());
        }
      }
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(toy.loss(streams));
      }
      Map<String, Boolean> nonzero = new HashMap<>();
      params.forEach((k, p) -> nonzero.put(k, p.array().getGradient().abs().sum().getFloat() > 0));
      return nonzero;
    }
  }

  private static void checkStreams(String extra, Predicate<String> imageUses, Predicate<String> videoUses) {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      ToyBevt toy = new ToyBevt(tiny(extra), m, 1, 2, 32, 11);
      // temporal_fc starts at zero (upstream init), which blocks the gradient into temporal_attn and
      // temporal_norm1 at step 0; give it a value as after some training.
      toy.parameters().forEach((k, p) -> {
        if (k.contains("temporal_fc.weight")) {
          p.copyFrom(Init.truncNormal(0.02).create(m, p.shape()));
        }
      });
      Set<String> names = toy.parameters().keySet();
      Map<String, Boolean> image = gradients(toy, EnumSet.of(StreamKind.IMAGE));
      Map<String, Boolean> video = gradients(toy, EnumSet.of(StreamKind.VIDEO));
      Map<String, Boolean> both = gradients(toy, EnumSet.allOf(StreamKind.class));
      List<String> bad = new ArrayList<>();
      for (String k : names) {
        if (image.get(k) != imageUses.test(k)) {
          bad.add("image " + k + " grad " + image.get(k));
        }
        if (video.get(k) != videoUses.test(k)) {
          bad.add("video " + k + " grad " + video.get(k));
        }
        if (!both.get(k)) {
          bad.add("joint step " + k + " has no gradient");
        }
      }
      assertThat(bad).as(extra).isEmpty();
    }
  }

  private static boolean temporal(String k) {
    return k.contains("temporal_") || k.equals("backbone.time_embed");
  }

  @Test
  void gradientsReachEveryParameterItsStreamUses() {
    checkStreams(IDENTITY, k -> !temporal(k), k -> true);
  }

  @Test
  void gradientsWithMergingDecodersTubeletsAndSeparatePatchEmbed() {
    checkStreams(
        MERGE,
        k -> !k.startsWith("backbone.patch_embed.") && !k.startsWith("decoder.video."),
        k -> !k.startsWith("backbone.patch_embed_2d.") && !k.startsWith("decoder.image."));
  }

  @Test
  void gradientsWithSplittingDecodersAndJointAttention() {
    checkStreams(SPLIT, k -> !temporal(k) && !k.startsWith("decoder.video."), k -> !k.startsWith("decoder.image."));
  }

  @Test
  void gradientsWithSpaceOnlyAttention() {
    checkStreams(
        SPACE_ONLY,
        k -> !k.startsWith("backbone.patch_embed."),
        k -> !k.startsWith("backbone.patch_embed_2d."));
  }

  static final int STEPS = 30;
  static final float LR = 1e-2f;

  @Test
  void lossFallsOnAFixedBatch() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      ToyBevt toy =
          new ToyBevt(tiny(",\"embed_dim\":16,\"num_heads\":2,\"depth\":1,\"num_frames\":2"), m, 1, 2, 32, 5);
      Map<String, Param> params = toy.parameters();
      Map<String, NDArray[]> moments = new HashMap<>();
      float first = Float.NaN;
      float last = Float.NaN;
      for (int step = 1; step <= STEPS; step++) {
        try (NDScope scope = new NDScope()) {
          NDArray loss;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            loss = toy.loss(EnumSet.allOf(StreamKind.class));
            gc.backward(loss);
          }
          last = loss.getFloat();
          if (step == 1) {
            first = last;
          }
        }
        // plain Adam (bias-corrected), in place, outside the step's scope
        double c1 = 1 - Math.pow(0.9, step);
        double c2 = 1 - Math.pow(0.999, step);
        for (Map.Entry<String, Param> e : params.entrySet()) {
          NDArray w = e.getValue().array();
          NDArray[] mv = moments.computeIfAbsent(e.getKey(), k -> new NDArray[] {m.zeros(w.getShape()), m.zeros(w.getShape())});
          try (NDScope scope = new NDScope()) {
            NDArray g = w.getGradient();
            mv[0].muli(0.9f).addi(g.mul(0.1f));
            mv[1].muli(0.999f).addi(g.square().mul(0.001f));
            w.subi(mv[0].div(c1).div(mv[1].div(c2).sqrt().add(1e-8f)).mul(LR));
            g.subi(g);
          }
        }
      }
      assertThat(last).isFinite();
      assertThat(first).isGreaterThan(2.0f); // ~ln(16) at init
      assertThat(last).as("loss after " + STEPS + " Adam steps (first %.3f)", first).isLessThan(first * 0.5f);
    }
  }
}
