package org.bevt4j.timesformer;

import java.nio.file.Path;
import java.util.List;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.WeightFileException;

/**
 * Loads weights into a {@link VisionTransformer}: a {@code .safetensors} file or a PyTorch checkpoint
 * (a TimeSformer {@code .pyth} keeps them under {@code model_state} with the prefix {@code model.};
 * {@code module.}, {@code backbone.} and {@code encoder.} are stripped too), holding TimeSformer,
 * ViT or BEiT (absolute position embedding) weights.
 *
 * <p>Weights are adapted by {@link TimeSformerInflater} in "keep" mode (temporal parameters are taken
 * from the file when present, derived from the spatial ones as upstream {@code load_pretrained} does
 * when absent; {@code pos_embed} / {@code time_embed} resized to the model), then bound strictly: a
 * wrong shape is refused naming the key, the expected and the found shape. Keys the file lacks are an
 * error too, except the BEVT additions ({@code mask_token}, {@code patch_embed_2d.*}, which derive
 * from {@code patch_embed}) and {@code head.*}, which keep their initial values.
 */
public final class TimeSformerWeights {
  private TimeSformerWeights() {}

  /** Loads {@code file} into {@code model}. */
  public static BindReport load(VisionTransformer model, Path file) {
    return bind(model, StateDict.load(file));
  }

  /** Adapts and binds {@code state} into {@code model}. */
  public static BindReport bind(VisionTransformer model, StateDict state) {
    TimeSformerInflater.Adapted a = new TimeSformerInflater(model).adapt(state, false);
    List<String> missing =
        a.kept().stream().filter(k -> !(k.equals("mask_token") || k.startsWith("head."))).toList();
    if (!missing.isEmpty()) {
      throw new WeightFileException(
          state.source() + ": weights do not fit the TimeSformer: missing keys (" + missing.size() + "): "
              + abbreviate(missing) + "; keys found: " + abbreviate(state.sortedKeys()));
    }
    return StateDictBinder.bindStrict(model, a.state());
  }

  private static String abbreviate(List<String> keys) {
    return keys.size() <= 12 ? keys.toString() : keys.subList(0, 12) + " ... and " + (keys.size() - 12) + " more";
  }
}
