package org.bevt4j.testkit;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;

/**
 * What {@link PluginSmokeHarness#run()} observed (every check had passed when this is returned).
 *
 * @param backbone the backbone type
 * @param trainableParameters number of trainable parameters of the backbone and its decoders (unique)
 * @param streams per-stream results, video first
 * @param gradientNorms L2 norm of the gradient of every trainable parameter, by name
 *     ({@code backbone.<name>} or {@code decoder.<stream>.<name>})
 */
public record SmokeReport(String backbone, long trainableParameters, List<StreamResult> streams, Map<String, Double> gradientNorms) {
  public SmokeReport {
    streams = List.copyOf(streams);
    gradientNorms = Map.copyOf(gradientNorms);
  }

  /** The result of one stream, or throws when that stream did not run. */
  public StreamResult stream(StreamKind kind) {
    return streams.stream()
        .filter(s -> s.stream() == kind)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the " + kind.configName() + " stream did not run"));
  }

  /**
   * One stream's forward.
   *
   * @param stream which stream
   * @param input the input batch shape
   * @param maskGrid the backbone's mask grid for that input
   * @param targetGrid the decoder's target grid for that mask grid
   * @param decoded the decoder output shape {@code (B, targetGrid.size(), D)}
   * @param loss the smoke loss of this stream (mean squared error to a random target)
   * @param maskEffect max |decoded(masked) - decoded(unmasked)| in eval mode: how much masking changed the output
   */
  public record StreamResult(
      StreamKind stream, Shape input, TokenGrid maskGrid, TokenGrid targetGrid, Shape decoded, double loss, double maskEffect) {}
}
