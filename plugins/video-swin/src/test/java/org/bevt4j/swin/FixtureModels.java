package org.bevt4j.swin;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bevt4j.io.StateDict;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.fused.Attention;
import org.bevt4j.swin.weights.SwinWeights;
import org.bevt4j.testkit.ReferenceFixture;

/** Builds the models of a reference fixture case from its config.json and weights. */
final class FixtureModels {
  /** Fixture model names this plugin implements. */
  static final String VIDEO_SWIN = "video_swin";
  static final String BEVT_SWIN = "bevt_swin";
  static final String BACKBONE_PREFIX = "backbone.";
  static final String HEAD_PREFIX = "cls_head.lm_head.";

  private FixtureModels() {}

  /** The backbone and (for bevt_swin) the lm_head of a case, with weights loaded strictly. */
  record Built(SwinTransformer3D backbone, Linear lmHead) {}

  static Built build(ReferenceFixture f, ReferenceFixture.Case c, NDManager m) {
    return build(f, c, Attention.Mode.COMPOSITE, m);
  }

  /** As {@link #build(ReferenceFixture, ReferenceFixture.Case, NDManager)} with the given attention mode. */
  static Built build(ReferenceFixture f, ReferenceFixture.Case c, Attention.Mode mode, NDManager m) {
    String model = f.config().get("model").getAsString();
    boolean bevt = model.equals(BEVT_SWIN);
    Map<String, Object> cfg = toMap(f.constructorConfig(c));
    SwinTransformer3D backbone = new SwinTransformer3D(SwinConfig.fromUpstream(cfg, bevt, Set.of("vocab_size")), mode);
    backbone.initialize(m);
    Set<String> unused = c.unusedWeightKeys();
    StateDict weights = f.weights().without(unused::contains);
    Linear head = null;
    if (bevt) {
      List<String> stray =
          weights.keys().stream().filter(k -> !k.startsWith(BACKBONE_PREFIX) && !k.startsWith(HEAD_PREFIX)).toList();
      if (!stray.isEmpty()) {
        throw new AssertionError(f + ": weight keys neither backbone.* nor cls_head.lm_head.*: " + stray);
      }
      int vocab = cfg.containsKey("vocab_size") ? ((Number) cfg.get("vocab_size")).intValue() : -1;
      StateDict headWeights = weights.select(HEAD_PREFIX);
      if (vocab < 0) {
        vocab = (int) headWeights.get("weight").shape()[0];
      }
      head = new Linear(backbone.numFeatures(), vocab, true, Init.zeros(), Init.zeros());
      head.initialize(m);
      org.bevt4j.io.StateDictBinder.bindStrict(head, headWeights);
      weights = weights.select(BACKBONE_PREFIX);
    }
    SwinModels.loadWeights(backbone, weights, new SwinWeights.Options("", true, false, null));
    return new Built(backbone, head);
  }

  static Map<String, Object> toMap(JsonObject o) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : o.entrySet()) {
      out.put(e.getKey(), value(e.getValue()));
    }
    return out;
  }

  private static Object value(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (e.isJsonArray()) {
      List<Object> l = new ArrayList<>();
      for (JsonElement x : (JsonArray) e) {
        l.add(value(x));
      }
      return l;
    }
    if (e.isJsonObject()) {
      return toMap(e.getAsJsonObject());
    }
    var p = e.getAsJsonPrimitive();
    if (p.isBoolean()) {
      return p.getAsBoolean();
    }
    if (p.isNumber()) {
      return p.getAsDouble();
    }
    return p.getAsString();
  }
}
