package org.bevt4j.timesformer;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bevt4j.api.BevtException;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.Param;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns image-model weights (a BEVT image stage of this backbone, timm ViT, or BEiT with absolute
 * position embeddings) or TimeSformer weights into a complete state of one {@link VisionTransformer}.
 *
 * <p>Rules, following TimeSformer's {@code load_pretrained} from ViT weights:
 *
 * <ul>
 *   <li>prefixes {@code module.}, {@code model.}, {@code backbone.}, {@code encoder.} are stripped;
 *       {@code fc_norm.*} serves as {@code norm.*} when there is no {@code norm}; timm's
 *       {@code blocks.i.ls1.gamma} / {@code ls2.gamma} and BEiT's {@code gamma_1} / {@code gamma_2}
 *       (layer scale) are folded exactly into {@code attn.proj} / {@code mlp.fc2}; BEiT's
 *       {@code q_bias}, {@code v_bias} become {@code qkv.bias = cat(q, 0, v)};
 *   <li>relative position biases (BEiT {@code use_rel_pos_bias}) have no TimeSformer equivalent and
 *       are refused;
 *   <li>{@code pos_embed} is resized to the model grid when it differs ({@link
 *       BevtOptions.PosEmbedInflation}); {@code time_embed} is nearest-resized along time, or zero;
 *   <li>temporal parameters are derived from the spatial ones: {@code temporal_attn <- attn},
 *       {@code temporal_norm1 <- norm1}, {@code temporal_fc = 0} in every block (upstream quirk:
 *       block 0 too); with {@code deriveTemporal} this is done even when the source has them (an image
 *       stage never trains them);
 *   <li>a Conv2d patch kernel is inflated to a tubelet kernel by repeating it k times / k; a separate
 *       {@code patch_embed_2d} takes the image kernel;
 *   <li>the head is kept only when its shape fits; keys the source lacks keep the model's current
 *       values; keys the model does not know are dropped (logged).
 * </ul>
 *
 * Tensors whose shapes do not fit are passed through unchanged, so that binding refuses them with
 * key, expected and found shape.
 */
final class TimeSformerInflater {
  private static final Logger LOG = LoggerFactory.getLogger(TimeSformerInflater.class);
  private static final Pattern BLOCK = Pattern.compile("^blocks\\.(\\d+)\\.(.*)$");
  private static final String[] PREFIXES = {"module.", "model.", "backbone.", "encoder."};

  private final VisionTransformer model;
  private final TimeSformerConfig config;

  TimeSformerInflater(VisionTransformer model) {
    this.model = model;
    this.config = model.config();
  }

  /**
   * An adapted state: every model key, with the keys taken from the model's current values because
   * the source lacked them, and the source keys the model does not know.
   */
  record Adapted(StateDict state, List<String> kept, List<String> dropped) {}

  /** {@link org.bevt4j.api.Backbone#inflate}: temporal parts re-derived unless the image stream trains them. */
  StateDict inflate(StateDict imageState) {
    return adapt(imageState, config.bevt().imageTemporal() == BevtOptions.ImageTemporal.SKIP).state();
  }

  /**
   * Adapts any supported state to this model.
   *
   * @param deriveTemporal re-derive the temporal parameters and zero {@code time_embed} even when
   *     present in the source
   */
  Adapted adapt(StateDict source, boolean deriveTemporal) {
    Map<String, TensorData> s = normalise(source);
    Map<String, Param> params = model.namedParameters();
    Map<String, TensorData> out = new LinkedHashMap<>();
    checkDepth(source, s);

    copy(s, out, "cls_token");
    s.computeIfPresent("pos_embed", (k, v) -> posEmbed(v));
    copy(s, out, "pos_embed");
    if (params.containsKey("time_embed")) {
      TensorData te = deriveTemporal ? null : s.get("time_embed");
      long[] want = params.get("time_embed").shape().getShape();
      out.put(
          "time_embed",
          te != null && te.shape().length == 3 && te.shape()[2] == want[2]
              ? HostTensors.resizeRows(te, (int) want[1])
              : te != null ? te : HostTensors.zeros(want));
    }
    copy(s, out, "mask_token");
    patchEmbeds(s, out, deriveTemporal);
    for (int i = 0; i < config.depth(); i++) {
      block(s, out, "blocks." + i + ".", deriveTemporal);
    }
    copy(s, out, "norm.weight");
    copy(s, out, "norm.bias");
    if (model.hasHead()) {
      for (String k : List.of("head.weight", "head.bias")) {
        TensorData h = s.get(k);
        if (h != null && Arrays.equals(h.shape(), params.get(k).shape().getShape())) {
          out.put(k, h);
        } else if (h != null) {
          LOG.info("{}: {} {} does not fit this model's head; keeping the current head", source.source(), k, h);
        }
      }
    }
    Map<String, TensorData> result = new LinkedHashMap<>();
    List<String> kept = new java.util.ArrayList<>();
    for (Map.Entry<String, Param> e : params.entrySet()) {
      TensorData t = out.get(e.getKey());
      if (t == null) {
        t = TensorData.of(e.getValue().array());
        kept.add(e.getKey());
      }
      result.put(e.getKey(), t);
    }
    TreeSet<String> dropped = new TreeSet<>(s.keySet());
    dropped.removeAll(params.keySet());
    dropped.removeIf(k -> k.matches("blocks\\.\\d+\\.(gamma_[12]|attn\\.[qv]_bias)") || k.startsWith("fc_norm."));
    if (!kept.isEmpty()) {
      LOG.info("{}: {} keys not in the source keep their current values: {}", source.source(), kept.size(), kept);
    }
    if (!dropped.isEmpty()) {
      LOG.info("{}: {} keys unknown to the model were dropped: {}", source.source(), dropped.size(), dropped);
    }
    return new Adapted(new StateDict(result, source.source(), source.metadata()), kept, List.copyOf(dropped));
  }

  private static void copy(Map<String, TensorData> s, Map<String, TensorData> out, String key) {
    TensorData t = s.get(key);
    if (t != null) {
      out.put(key, t);
    }
  }

  /** Prefixes stripped, timm/BEiT names mapped, relative position biases refused. */
  private Map<String, TensorData> normalise(StateDict source) {
    StateDict st = source.stripPrefixes(PREFIXES);
    Map<String, TensorData> s = new LinkedHashMap<>(st.tensors());
    for (String k : s.keySet()) {
      if (k.contains("relative_position_bias_table") || k.contains("relative_position_index")) {
        throw new BevtException(
            source.source() + ": key \"" + k + "\" is a relative position bias (BEiT use_rel_pos_bias / "
                + "use_shared_rel_pos_bias); TimeSformer has absolute position embeddings only. Inflate from a ViT "
                + "or a BEiT checkpoint trained with use_abs_pos_emb instead");
      }
    }
    if (!s.containsKey("norm.weight") && s.containsKey("fc_norm.weight")) {
      s.put("norm.weight", s.get("fc_norm.weight"));
      s.put("norm.bias", s.get("fc_norm.bias"));
    }
    Map<String, TensorData> renamed = new LinkedHashMap<>();
    for (Map.Entry<String, TensorData> e : s.entrySet()) {
      String k = e.getKey().replaceFirst("\\.ls1\\.gamma$", ".gamma_1").replaceFirst("\\.ls2\\.gamma$", ".gamma_2");
      renamed.put(k, e.getValue());
    }
    return renamed;
  }

  private void checkDepth(StateDict source, Map<String, TensorData> s) {
    int max = -1;
    for (String k : s.keySet()) {
      Matcher m = BLOCK.matcher(k);
      if (m.matches()) {
        max = Math.max(max, Integer.parseInt(m.group(1)));
      }
    }
    if (max >= 0 && max + 1 != config.depth()) {
      throw new BevtException(
          source.source() + ": the weights have " + (max + 1) + " blocks but the model has depth " + config.depth());
    }
  }

  private TensorData posEmbed(TensorData v) {
    long[] s = v.shape();
    int n = config.gridSize() * config.gridSize();
    if (s.length != 3 || s[2] != config.embedDim() || s[1] == 1 + n) {
      return v;
    }
    return config.bevt().posEmbedInflation() == BevtOptions.PosEmbedInflation.GRID
        ? HostTensors.resizePosGrid(v, config.gridSize())
        : HostTensors.resizePosSequence(v, n);
  }

  private void patchEmbeds(Map<String, TensorData> s, Map<String, TensorData> out, boolean deriveTemporal) {
    int k = config.bevt().tubeletSize();
    TensorData w3 = s.get("patch_embed.proj.weight");
    TensorData w2 = s.get("patch_embed_2d.proj.weight");
    TensorData b3 = s.get("patch_embed.proj.bias");
    TensorData b2 = s.get("patch_embed_2d.proj.bias");
    boolean separate = config.bevt().patchEmbed2d() == BevtOptions.PatchEmbed2d.SEPARATE;
    // The image kernel: the source's own 2-D one, else its (video) patch_embed as a 2-D kernel.
    TensorData image = w2 != null ? w2 : w3 != null && w3.shape().length == 5 ? HostTensors.sumKernel(w3) : w3;
    TensorData imageBias = w2 != null ? b2 : b3;
    // The video kernel: the source's patch_embed unless it has to be derived from the image one.
    boolean fromImage = w3 == null || (separate && deriveTemporal && w2 != null);
    TensorData video = fromImage ? image : w3;
    TensorData videoBias = fromImage ? imageBias : b3;
    if (video != null) {
      out.put("patch_embed.proj.weight", video.shape().length == 4 && k > 1 ? HostTensors.inflateKernel(video, k) : video);
    }
    if (videoBias != null) {
      out.put("patch_embed.proj.bias", videoBias);
    }
    if (separate) {
      if (image != null) {
        out.put("patch_embed_2d.proj.weight", image);
      }
      if (imageBias != null) {
        out.put("patch_embed_2d.proj.bias", imageBias);
      }
    }
  }

  private void block(Map<String, TensorData> s, Map<String, TensorData> out, String p, boolean deriveTemporal) {
    TensorData g1 = s.get(p + "gamma_1");
    TensorData g2 = s.get(p + "gamma_2");
    Map<String, TensorData> spatial = new LinkedHashMap<>();
    for (String k : List.of("norm1.weight", "norm1.bias", "attn.qkv.weight", "attn.proj.weight", "attn.proj.bias")) {
      if (s.containsKey(p + k)) {
        spatial.put(k, s.get(p + k));
      }
    }
    TensorData qkvBias = s.get(p + "attn.qkv.bias");
    if (qkvBias == null && s.containsKey(p + "attn.q_bias") && s.containsKey(p + "attn.v_bias")) {
      qkvBias = HostTensors.qkvBias(s.get(p + "attn.q_bias"), s.get(p + "attn.v_bias"));
    }
    if (config.qkvBias()) {
      if (qkvBias != null) {
        spatial.put("attn.qkv.bias", qkvBias);
      } else if (s.containsKey(p + "attn.qkv.weight")) {
        LOG.info("{}attn has no qkv bias in the source; it starts at zero", p);
        spatial.put("attn.qkv.bias", HostTensors.zeros(3L * config.embedDim()));
      }
    } else if (qkvBias != null) {
      LOG.warn("{}attn: the model has qkv_bias = false; the source's qkv bias is dropped", p);
    }
    if (g1 != null) {
      spatial.computeIfPresent("attn.proj.weight", (k, v) -> HostTensors.scaleRows(v, g1));
      spatial.computeIfPresent("attn.proj.bias", (k, v) -> HostTensors.scaleRows(v, g1));
    }
    spatial.forEach((k, v) -> out.put(p + k, v));
    for (String k : List.of("norm2.weight", "norm2.bias", "mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias")) {
      TensorData v = s.get(p + k);
      if (v != null) {
        out.put(p + k, g2 != null && k.startsWith("mlp.fc2") ? HostTensors.scaleRows(v, g2) : v);
      }
    }
    if (!config.attentionType().hasTemporalBranch()) {
      return;
    }
    for (Map.Entry<String, TensorData> e : spatial.entrySet()) {
      String tk = p + "temporal_" + e.getKey();
      TensorData own = deriveTemporal ? null : s.get(tk);
      out.put(tk, own != null ? own : e.getValue());
    }
    for (String k : List.of("temporal_fc.weight", "temporal_fc.bias")) {
      TensorData own = deriveTemporal ? null : s.get(p + k);
      long[] shape = k.endsWith("weight") ? new long[] {config.embedDim(), config.embedDim()} : new long[] {config.embedDim()};
      out.put(p + k, own != null ? own : HostTensors.zeros(shape));
    }
  }
}
