package org.bevt4j.swin.weights;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.Param;
import org.bevt4j.swin.SwinConfig;
import org.bevt4j.swin.SwinTransformer3D;

/**
 * Weight surgery of BEVT / Video Swin checkpoint loaders.
 *
 * <p>{@link #inflate} is BEVT's {@code inflate_weights} (2-D → 3-D): prefixes {@code module.},
 * {@code backbone.}, {@code encoder.} stripped; {@code relative_position_index} and {@code
 * attn_mask} keys dropped; {@code fc_norm.*} renamed {@code norm.*}; the 2-D patch embedding
 * copied to {@code patch_embed_2d.*} and inflated to {@code patch_embed.proj.weight} (repeated Pd
 * times on a new axis 2 and divided by Pd); each 2-D relative-position table ((2W-1)^2 rows)
 * bicubic-resized to (2Wh-1, 2Ww-1) if its size differs, then tiled 2Wd-1 times along the rows
 * (d-major), giving the same spatial bias for every temporal offset. Also accepted as input: the
 * state of a bevt4j image-only stage (3-D-shaped tables and a 4-D {@code patch_embed_2d}): only
 * the Δd = 0 plane of its tables was used by the image stream, so that plane is tiled, and {@code
 * patch_embed_2d} is the 2-D source. Keys the model does not have are dropped.
 *
 * <p>{@link #resizeWindow} is Video Swin's fine-tuning loader with {@code pretrained_window_size}:
 * tables trilinearly resized from (2Wd'-1, 2Wh'-1, 2Ww'-1) to the model's window.
 */
public final class SwinInflation {
  private SwinInflation() {}

  /** BEVT {@code inflate_weights} into the given model's shapes. */
  public static StateDict inflate(StateDict in, SwinTransformer3D model) {
    SwinConfig cfg = model.config();
    StateDict sd =
        in.stripPrefixes("module.", "backbone.", "encoder.")
            .without(k -> k.contains("relative_position_index") || k.contains("attn_mask"));
    Map<String, TensorData> t = new LinkedHashMap<>(sd.tensors());
    if (t.containsKey("fc_norm.weight")) {
      t.put("norm.weight", t.remove("fc_norm.weight"));
      if (t.containsKey("fc_norm.bias")) {
        t.put("norm.bias", t.remove("fc_norm.bias"));
      }
    }
    String src = twoDimensionalPatchSource(t, sd.source());
    int pd = cfg.patchSize()[0];
    Map<String, TensorData> out = new LinkedHashMap<>(t);
    for (String suffix : new String[] {"proj.weight", "proj.bias", "norm.weight", "norm.bias"}) {
      TensorData v = t.get(src + suffix);
      if (v != null) {
        out.put("patch_embed_2d." + suffix, v);
        out.put("patch_embed." + suffix, suffix.equals("proj.weight") ? inflatePatch(v, pd) : v);
      }
    }
    Map<String, Param> params = model.namedParameters();
    for (Map.Entry<String, TensorData> e : t.entrySet()) {
      if (e.getKey().contains("relative_position_bias_table")) {
        Param p = params.get(e.getKey());
        if (p != null) {
          out.put(e.getKey(), inflateTable(e.getKey(), e.getValue(), p.shape().getShape(), cfg.windowSize(), sd.source()));
        }
      }
    }
    out.keySet().retainAll(params.keySet());
    return new StateDict(out, sd.source() + " (inflated 2-D -> 3-D)", sd.metadata());
  }

  private static String twoDimensionalPatchSource(Map<String, TensorData> t, String source) {
    TensorData w = t.get("patch_embed.proj.weight");
    if (w != null && w.shape().length == 4) {
      return "patch_embed.";
    }
    TensorData w2 = t.get("patch_embed_2d.proj.weight");
    if (w2 != null && w2.shape().length == 4) {
      return "patch_embed_2d.";
    }
    throw new IllegalArgumentException(
        source + ": cannot inflate: no 2-D patch embedding (a 4-D patch_embed.proj.weight or patch_embed_2d.proj.weight)"
            + (w == null ? "" : "; patch_embed.proj.weight is " + Arrays.toString(w.shape())));
  }

  /** (C, in, ph, pw) → (C, in, pd, ph, pw), each temporal slice = w / pd. */
  static TensorData inflatePatch(TensorData w, int pd) {
    long[] s = w.shape();
    float[] v = w.toFloats();
    int plane = (int) (s[2] * s[3]);
    int outer = (int) (s[0] * s[1]);
    float[] out = new float[v.length * pd];
    for (int o = 0; o < outer; o++) {
      for (int d = 0; d < pd; d++) {
        for (int i = 0; i < plane; i++) {
          out[(o * pd + d) * plane + i] = v[o * plane + i] / (float) pd;
        }
      }
    }
    return TensorData.ofFloats(out, s[0], s[1], pd, s[2], s[3]);
  }

  private static TensorData inflateTable(String key, TensorData table, long[] target, int[] window, String source) {
    long[] s = table.shape();
    if (s.length != 2 || s[1] != target[1]) {
      throw new IllegalArgumentException(
          source + ": " + key + ": expected a table with " + target[1] + " heads, found " + Arrays.toString(s));
    }
    int heads = (int) s[1];
    int rows = (int) s[0];
    int oh = 2 * window[1] - 1;
    int ow = 2 * window[2] - 1;
    int plane = oh * ow;
    int tiles = 2 * window[0] - 1;
    float[] v = table.toFloats();
    float[] twoD;
    if (rows == plane) {
      twoD = v;
    } else if (rows == target[0]) {
      // a bevt4j image-stage table (3-D shaped): the image stream only read the Δd = 0 plane
      int start = (window[0] - 1) * plane;
      twoD = Arrays.copyOfRange(v, start * heads, (start + plane) * heads);
    } else {
      int s1 = (int) Math.round(Math.sqrt(rows));
      if (s1 * s1 != rows) {
        throw new IllegalArgumentException(
            source + ": " + key + ": a 2-D table needs a square number of rows ((2W-1)^2), found " + rows);
      }
      twoD = TableResize.bicubic2d(v, heads, s1, oh, ow);
    }
    return TensorData.ofFloats(TableResize.tileRows(twoD, tiles), (long) plane * tiles, heads);
  }

  /**
   * Trilinearly resizes every relative-position table whose row count differs from the model's,
   * assuming it was trained with window {@code pretrainedWindow} (Video Swin fine-tuning, e.g.
   * (8,7,7) → (16,7,7)). Other tensors pass unchanged.
   */
  public static StateDict resizeWindow(StateDict in, int[] pretrainedWindow, int[] window) {
    int[] from = {2 * pretrainedWindow[0] - 1, 2 * pretrainedWindow[1] - 1, 2 * pretrainedWindow[2] - 1};
    int[] to = {2 * window[0] - 1, 2 * window[1] - 1, 2 * window[2] - 1};
    int fromRows = from[0] * from[1] * from[2];
    int toRows = to[0] * to[1] * to[2];
    Map<String, TensorData> out = new LinkedHashMap<>(in.tensors());
    for (Map.Entry<String, TensorData> e : in.tensors().entrySet()) {
      if (!e.getKey().contains("relative_position_bias_table")) {
        continue;
      }
      long[] s = e.getValue().shape();
      if (s.length != 2 || s[0] == toRows) {
        continue;
      }
      if (s[0] != fromRows) {
        throw new IllegalArgumentException(
            in.source() + ": " + e.getKey() + ": " + s[0] + " rows do not match the pretrained window "
                + Arrays.toString(pretrainedWindow) + " (" + fromRows + " rows) nor the model's " + Arrays.toString(window)
                + " (" + toRows + " rows)");
      }
      float[] resized = TableResize.trilinear3d(e.getValue().toFloats(), (int) s[1], from, to);
      out.put(e.getKey(), TensorData.ofFloats(resized, toRows, s[1]));
    }
    return new StateDict(out, in.source(), in.metadata());
  }
}
