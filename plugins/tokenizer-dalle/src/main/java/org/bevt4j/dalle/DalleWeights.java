package org.bevt4j.dalle;

import java.util.List;
import java.util.stream.Collectors;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.WeightFileException;
import org.bevt4j.nn.ParameterOwner;

/**
 * Finds the DALL-E encoder inside a state dict and binds it strictly.
 *
 * <p>Accepted layouts: the encoder's own keys ({@code blocks.*}, from a converted
 * {@code encoder.pkl}); the same under {@code cls_head.vae_encoder.} (a BEVT pretraining checkpoint,
 * whose {@code backbone.*} and {@code cls_head.lm_head.*} are ignored); or under {@code encoder.};
 * each optionally behind a DataParallel {@code module.} prefix. Within the chosen prefix every
 * {@code blocks.*} key must match the model (missing, unexpected and wrong-shape keys are reported
 * together).
 */
public final class DalleWeights {
  /** Prefixes tried, in order, in front of {@code blocks.input.w}. */
  public static final List<String> PREFIXES =
      List.of(
          "",
          "cls_head.vae_encoder.",
          "encoder.",
          "module.",
          "module.cls_head.vae_encoder.",
          "module.encoder.");

  private static final String PROBE = "blocks.input.w";

  private DalleWeights() {}

  /** The prefix under which the encoder lives in {@code state}; an error if there is none. */
  public static String findPrefix(StateDict state) {
    for (String p : PREFIXES) {
      if (state.contains(p + PROBE)) {
        return p;
      }
    }
    String sample = state.keys().stream().limit(8).collect(Collectors.joining(", "));
    throw new WeightFileException(
        state.source() + ": no DALL-E encoder weights found: expected the key \"" + PROBE
            + "\", optionally under one of " + PREFIXES.subList(1, PREFIXES.size()) + "; the file has "
            + state.size() + " tensors, e.g. [" + sample + (state.size() > 8 ? ", ..." : "") + "]");
  }

  /** The encoder's keys ({@code blocks.*}) with the prefix removed. */
  public static StateDict select(StateDict state) {
    String prefix = findPrefix(state);
    return state.select(prefix).filter(k -> k.startsWith("blocks."));
  }

  /** Selects and binds strictly; throws {@link WeightFileException} naming every bad key. */
  public static BindReport bind(ParameterOwner encoder, StateDict state) {
    return StateDictBinder.bindStrict(encoder, select(state));
  }
}
