package org.bevt4j.api.tokenizer;

import org.bevt4j.api.Experimental;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of one training forward pass of a {@link TrainableTokenizer}.
 *
 * @param total the scalar to back-propagate (the weighted sum of the parts)
 * @param parts named scalar parts for logging, e.g. {@code rec}, {@code codebook}, {@code commit},
 *     {@code perceptual}, {@code kl}, plus schedule values such as {@code tau} or {@code kl_weight};
 *     they may be detached from the graph. Insertion order is the logging order.
 */
@Experimental
public record TokenizerLoss(NDArray total, Map<String, NDArray> parts) {
  public TokenizerLoss {
    Objects.requireNonNull(total, "total");
    parts = Collections.unmodifiableMap(new LinkedHashMap<>(parts));
  }

  /** Reads the parts as numbers (one device-to-host copy each). */
  public Map<String, Double> values() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("loss", (double) total.getFloat());
    for (Map.Entry<String, NDArray> e : parts.entrySet()) {
      out.put(e.getKey(), (double) e.getValue().toType(DataType.FLOAT32, false).getFloat());
    }
    return out;
  }
}
