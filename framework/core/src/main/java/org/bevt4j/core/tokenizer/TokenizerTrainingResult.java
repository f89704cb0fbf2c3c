package org.bevt4j.core.tokenizer;

import java.nio.file.Path;
import java.util.Map;

/**
 * The outcome of {@link TokenizerTraining#run}.
 *
 * @param runDir the run directory
 * @param weights the trained tokenizer ({@code tokenizer.safetensors}), loadable by the tokenizer
 *     plugin with {@code weights = <file>}
 * @param tokenizerConf {@code tokenizer.conf}: a config fragment selecting it
 *     ({@code bevt.model.tokenizer { type = ..., <type> { ..., weights = ... } }})
 * @param cached true when an earlier result with the same config hash was reused (no training)
 * @param configHash the hash of every setting that affects the result
 * @param steps optimizer steps of the training (0 when cached)
 * @param seconds wall time of this call's training (0 when cached)
 * @param summary the final evaluation and timings as written to {@code tokenizer.json}
 */
public record TokenizerTrainingResult(
    Path runDir, Path weights, Path tokenizerConf, boolean cached, String configHash, long steps, double seconds,
    Map<String, Object> summary) {}
