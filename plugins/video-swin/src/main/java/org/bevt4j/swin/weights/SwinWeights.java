package org.bevt4j.swin.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.TensorData;
import org.bevt4j.io.WeightFileException;
import org.bevt4j.nn.Param;
import org.bevt4j.swin.SwinTransformer3D;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads upstream-named weights into a {@link SwinTransformer3D}: key selection by prefix, removal
 * of the recomputed buffers ({@code relative_position_index}, {@code attn_mask}), optional 2-D → 3-D
 * inflation and window resizing, then binding by name. Wrong shapes are always refused (each
 * "key: expected [..], found [..]"); missing and unexpected keys are errors in strict mode and
 * logged otherwise. Keys of BEVT's pretraining-only parts ({@code patch_embed_2d}, {@code
 * mask_token}, decoders) are skipped, and reported, when the model is not in BEVT mode (as
 * upstream's fine-tuning loader does).
 */
public final class SwinWeights {
  private static final Logger LOG = LoggerFactory.getLogger(SwinWeights.class);

  /** Key prefixes of BEVT's pretraining-only parameters. */
  public static final List<String> BEVT_ONLY =
      List.of("patch_embed_2d.", "mask_token", "lm_down.", "lm_down_st.", "fpn.", "fpn_s.", "fpn_t.");

  private SwinWeights() {}

  /**
   * How to read a weight file.
   *
   * @param prefix {@code "auto"}: strip {@code module.}, keep only {@code backbone.*} (prefix
   *     removed) when such keys exist, strip {@code encoder.}; {@code ""}: keys as they are; any
   *     other value: keep only keys with that prefix (removed), an error when none has it
   * @param strict missing or unexpected keys are errors (wrong shapes always are)
   * @param twoD the file is a 2-D (image) Swin state: inflate it ({@link SwinInflation#inflate})
   * @param pretrainedWindow when non-null, resize tables trained with this window ({@link
   *     SwinInflation#resizeWindow})
   */
  public record Options(String prefix, boolean strict, boolean twoD, int[] pretrainedWindow) {
    /** auto prefix, strict, 3-D, no window resizing. */
    public static Options defaults() {
      return new Options("auto", true, false, null);
    }
  }

  /** Applies the options' key rules and surgery, giving the state to bind. */
  public static StateDict prepare(StateDict raw, SwinTransformer3D model, Options o) {
    StateDict sd = selectPrefix(raw, o.prefix());
    sd = sd.without(k -> k.endsWith("relative_position_index") || k.contains("attn_mask"));
    if (o.twoD()) {
      sd = SwinInflation.inflate(sd, model);
    }
    if (o.pretrainedWindow() != null) {
      sd = SwinInflation.resizeWindow(sd, o.pretrainedWindow(), model.config().windowSize());
    }
    return sd;
  }

  /** Loads weights into the model; returns the binding report. */
  public static BindReport load(SwinTransformer3D model, StateDict raw, Options o) {
    StateDict sd = prepare(raw, model, o);
    Map<String, Param> params = model.namedParameters();
    Set<String> ignored = new LinkedHashSet<>();
    if (!model.config().bevt()) {
      for (String k : sd.keys()) {
        if (!params.containsKey(k) && BEVT_ONLY.stream().anyMatch(k::startsWith)) {
          ignored.add(k);
        }
      }
      if (!ignored.isEmpty()) {
        LOG.info("{}: skipping {} BEVT pretraining-only tensors (the model is not in BEVT mode)", sd.source(), ignored.size());
      }
    }
    List<String> mismatched = new ArrayList<>();
    for (Map.Entry<String, Param> e : params.entrySet()) {
      TensorData t = sd.tensors().get(e.getKey());
      long[] expected = e.getValue().shape().getShape();
      if (t != null && !Arrays.equals(expected, t.shape())) {
        mismatched.add(e.getKey() + ": expected " + Arrays.toString(expected) + ", found " + Arrays.toString(t.shape()));
      }
    }
    if (!mismatched.isEmpty()) {
      throw new WeightFileException(
          sd.source() + ": " + mismatched.size() + " tensor(s) have the wrong shape for this model:\n    "
              + String.join("\n    ", mismatched)
              + (o.twoD() ? "" : "\n  (a 2-D Swin checkpoint needs weights-2d = true; another window needs pretrained-window-size)"));
    }
    BindReport report = StateDictBinder.bind(model, sd, false, ignored);
    if (o.strict() && !report.clean()) {
      throw new WeightFileException(
          sd.source() + ": weights do not fit the model (set weights-strict = false to load anyway):\n  " + report.describe());
    }
    if (!report.clean()) {
      LOG.warn("{}: {}", sd.source(), report.describe());
    } else {
      LOG.info("{}: {} tensors loaded", sd.source(), report.loaded().size());
    }
    return report;
  }

  static StateDict selectPrefix(StateDict raw, String prefix) {
    if ("auto".equals(prefix)) {
      StateDict sd = raw.stripPrefixes("module.");
      if (sd.keys().stream().anyMatch(k -> k.startsWith("backbone."))) {
        sd = sd.select("backbone.");
      }
      return sd.stripPrefixes("encoder.");
    }
    if (prefix == null || prefix.isEmpty()) {
      return raw;
    }
    StateDict sd = raw.select(prefix);
    if (sd.size() == 0) {
      throw new WeightFileException(
          raw.source() + ": no tensor name starts with weights-prefix \"" + prefix + "\"; first names: "
              + raw.keys().stream().limit(5).toList());
    }
    return sd;
  }
}
