package org.bevt4j.core.data.loader;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.StreamKind;

/**
 * A batch in Java heap memory: the samples' tensors stacked on a new leading axis.
 *
 * @param input {@code (B, 3, T, H, W)} clips or {@code (B, 3, H, W)} images (eval views add an axis
 *     after B)
 * @param tokenizerInput {@code (B, T, 3, h, w)} / {@code (B, 1, 3, h, w)} in [0, 1], or null
 * @param labels class indices, -1 when unlabelled
 * @param sources where each sample came from
 * @param cursor the position of this batch (epoch, index within the epoch)
 */
public record HostBatch(
    StreamKind stream, HostTensor input, HostTensor tokenizerInput, int[] labels, List<String> sources, LoaderCursor cursor) {

  /** Number of samples. */
  public int size() {
    return labels.length;
  }

  /** The batch as NDArrays owned by {@code manager} (labels as int64). */
  public DeviceBatch toNDArrays(NDManager manager) {
    NDArray in = manager.create(input.data(), new Shape(input.shape()));
    NDArray tok = tokenizerInput == null ? null
        : manager.create(tokenizerInput.data(), new Shape(tokenizerInput.shape()));
    long[] l = new long[labels.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = labels[i];
    }
    NDArray lab = manager.create(l);
    return new DeviceBatch(in, tok, lab);
  }

  /**
   * A batch on a device.
   *
   * @param tokenizerInput same layout as the host tensor; reshape to {@code (B * T, 3, h, w)} for
   *     {@code Tokenizer.encode}
   */
  public record DeviceBatch(NDArray input, NDArray tokenizerInput, NDArray labels) {}
}
