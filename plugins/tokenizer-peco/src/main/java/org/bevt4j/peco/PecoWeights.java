package org.bevt4j.peco;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.WeightFileException;
import org.bevt4j.nn.ParameterOwner;

/**
 * Selects the encode path of a VQ model from a checkpoint and binds it strictly.
 *
 * <p>First the {@code key-prefix-map} rewrites are applied (for each key, the first mapping whose
 * {@code from} is a prefix of it replaces that prefix by {@code to}); then the keys under
 * {@code encoder.}, {@code quant_conv.} and {@code quantize.} are kept and everything else (a taming
 * checkpoint's {@code decoder.*}, {@code post_quant_conv.*}, {@code loss.*}) is ignored. The kept
 * keys must match the model exactly: missing, unexpected and wrong-shape keys are reported together.
 */
public final class PecoWeights {
  /** The top-level prefixes of the encode path. */
  public static final List<String> PREFIXES = List.of("encoder.", "quant_conv.", "quantize.");

  private static final String PROBE = "encoder.conv_in.weight";

  private PecoWeights() {}

  /** Applies the prefix rewrites. */
  public static StateDict remap(StateDict state, List<PecoSettings.KeyMapping> mappings) {
    if (mappings.isEmpty()) {
      return state;
    }
    return state.rename(
        k -> {
          for (PecoSettings.KeyMapping m : mappings) {
            if (k.startsWith(m.from())) {
              return m.to() + k.substring(m.from().length());
            }
          }
          return k;
        });
  }

  /** The rewritten state dict restricted to the encode path; an error if it has no encoder. */
  public static StateDict select(StateDict state, List<PecoSettings.KeyMapping> mappings) {
    StateDict mapped = remap(state, mappings);
    if (!mapped.contains(PROBE)) {
      Optional<String> nested = mapped.keys().stream().filter(k -> k.endsWith("." + PROBE)).findFirst();
      String hint =
          nested
              .map(
                  k -> {
                    String p = k.substring(0, k.length() - PROBE.length());
                    return "; the encoder seems to live under \"" + p + "\": set key-prefix-map = [{ from = \""
                        + p + "\", to = \"\" }]";
                  })
              .orElse("");
      String sample = mapped.keys().stream().limit(8).collect(Collectors.joining(", "));
      throw new WeightFileException(
          state.source() + ": no VQGAN encoder weights found: expected the key \"" + PROBE + "\" (taming "
              + "VQModel names encoder.*, quant_conv.*, quantize.embedding.weight)" + hint + "; the file has "
              + mapped.size() + " tensors, e.g. [" + sample + (mapped.size() > 8 ? ", ..." : "") + "]");
    }
    return mapped.filter(k -> PREFIXES.stream().anyMatch(k::startsWith));
  }

  /** Selects and binds strictly; throws {@link WeightFileException} naming every bad key. */
  public static BindReport bind(ParameterOwner model, StateDict state, List<PecoSettings.KeyMapping> mappings) {
    return StateDictBinder.bindStrict(model, select(state, mappings));
  }
}
