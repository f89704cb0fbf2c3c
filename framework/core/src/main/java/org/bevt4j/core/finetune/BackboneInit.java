package org.bevt4j.core.finetune;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtException;
import org.bevt4j.core.checkpoint.Checkpoint;
import org.bevt4j.core.checkpoint.CheckpointException;
import org.bevt4j.core.checkpoint.CheckpointStore;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.nn.Param;

/**
 * Initialises a backbone from pretrained weights ({@code bevt.finetune.init-from}): a pretraining
 * run (its newest valid checkpoint), a {@code checkpoints} directory, one {@code step-<N>}
 * directory, a {@code .safetensors} file or a PyTorch checkpoint.
 *
 * <p>A bevt4j pretraining checkpoint's {@code model.safetensors} holds {@code backbone.*} (the
 * backbone, and in BEVT mode the decoder parameters living in it), {@code cls_head.lm_head.*} (the
 * vocabulary head) and possibly {@code decoders.<stream>.*}. After stripping {@code module.}, when
 * any key starts with {@code backbone.} only those keys are kept (prefix removed); otherwise the
 * file is taken as a bare backbone state. Keys the backbone does not have (decoder parameters,
 * mask tokens of a BEVT-mode backbone fine-tuned without them) are reported and ignored. A wrong
 * shape, or no matching key at all, is an error; missing backbone parameters (buffers excepted) are
 * an error when {@code strict}, else a warning by the caller.
 */
public final class BackboneInit {
  private BackboneInit() {}

  /** The state a path stands for (see the class comment), with its description. */
  public static StateDict load(Path path) {
    if (Files.isDirectory(path)) {
      Checkpoint c;
      try {
        c = CheckpointStore.resolve(path, Integer.MAX_VALUE);
      } catch (CheckpointException e) {
        throw new BevtException("init-from " + path + ": " + e.getMessage()
            + " (expected a run dir, a checkpoints dir, a step-<N> dir or a weights file)", e);
      }
      return c.model();
    }
    if (!Files.isRegularFile(path)) {
      throw new BevtException("init-from " + path + ": no such file or directory");
    }
    try {
      return StateDict.load(path);
    } catch (RuntimeException e) {
      throw new BevtException("init-from " + path + ": cannot read weights: " + e.getMessage(), e);
    }
  }

  /** The backbone's part of a state: {@code backbone.*} when present, else everything. */
  public static StateDict backboneKeys(StateDict state) {
    StateDict s = state.stripPrefixes("module.");
    boolean prefixed = s.keys().stream().anyMatch(k -> k.startsWith(FinetuneModel.BACKBONE));
    return prefixed ? s.select(FinetuneModel.BACKBONE) : s;
  }

  /**
   * Binds the backbone keys of {@code state} into {@code backbone}; returns the report, whose
   * {@code missing} lists only non-buffer parameters.
   */
  public static BindReport apply(Backbone backbone, StateDict state, boolean strict) {
    StateDict s = backboneKeys(state);
    BindReport r = StateDictBinder.bind(backbone, s, false, Set.of());
    if (!r.mismatched().isEmpty()) {
      throw new BevtException(state.source() + ": weights do not fit the backbone (another architecture or size?):\n  " + r.describe());
    }
    if (r.loaded().isEmpty()) {
      throw new BevtException(state.source() + ": no tensor matches the backbone's parameters (keys found: "
          + abbreviate(state.sortedKeys()) + ")");
    }
    Map<String, Param> params = backbone.namedParameters();
    List<String> missing = new ArrayList<>();
    for (String k : r.missing()) {
      Param p = params.get(k);
      if (p != null && !p.isBuffer()) {
        missing.add(k);
      }
    }
    BindReport out = new BindReport(r.loaded(), missing, r.unexpected(), r.mismatched());
    if (strict && !missing.isEmpty()) {
      throw new BevtException(state.source() + ": backbone parameters missing from the weights (set bevt.finetune.init-strict = false "
          + "to keep their initial values):\n  " + out.describe());
    }
    return out;
  }

  private static String abbreviate(List<String> keys) {
    return keys.size() <= 12 ? keys.toString() : keys.subList(0, 12) + " ... and " + (keys.size() - 12) + " more";
  }
}
