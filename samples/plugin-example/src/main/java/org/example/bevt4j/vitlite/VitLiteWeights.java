package org.example.bevt4j.vitlite;

import java.nio.file.Path;
import java.util.Set;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.StateDictBinder;
import org.bevt4j.io.WeightFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code bevt.model.backbone.weights} into a vit-lite backbone: a {@code .safetensors} or a
 * PyTorch checkpoint; a bevt4j pretraining checkpoint's {@code backbone.*} part is selected and a
 * {@code module.} prefix (DataParallel) is dropped. Every backbone tensor must be present with the
 * right shape; other tensors (decoders, the vocabulary head) are ignored.
 */
final class VitLiteWeights {
  private static final Logger LOG = LoggerFactory.getLogger(VitLiteWeights.class);

  private VitLiteWeights() {}

  static BindReport load(VitLiteBackbone backbone, Path file) {
    StateDict state = StateDict.load(file).stripPrefixes("module.");
    if (state.keys().stream().anyMatch(k -> k.startsWith("backbone."))) {
      state = state.select("backbone.");
    }
    BindReport r = StateDictBinder.bind(backbone, state, false, Set.of());
    if (!r.missing().isEmpty() || !r.mismatched().isEmpty()) {
      throw new WeightFileException(file + ": the weights do not fit this vit-lite backbone (compare its settings):\n  " + r.describe());
    }
    if (!r.unexpected().isEmpty()) {
      LOG.info("{}: {} tensors that are not backbone parameters were ignored", file, r.unexpected().size());
    }
    return r;
  }
}
