package org.bevt4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.StreamKind;

/**
 * The masked-token prediction loss of one stream: targets from the frozen tokenizer, decoder
 * features of the masked positions only, the shared head, cross-entropy averaged over the
 * stream's masked tokens, and the masked-token accuracy. Logits are kept 2-D {@code (M, V)} (DJL
 * cannot take CE over 3-D logits).
 */
public final class MaskedLoss {
  private MaskedLoss() {}

  /**
   * The result of one stream's forward.
   *
   * @param loss scalar CE (with autograd graph), or null when nothing was masked
   * @param correct scalar int64 count of correctly predicted masked tokens, or null
   * @param masked number of masked target tokens
   */
  public record Result(NDArray loss, NDArray correct, long masked) {}

  /**
   * Target token ids of the masked positions, {@code (M)} int64. Run with autograd off: the
   * tokenizer is frozen and its graph is not needed.
   */
  public static NDArray targets(MaskedBatch b, PretrainComponents c, NDManager manager) {
    NDArray pixels = fromHost(manager, b.tokenizerInput(), new Shape(b.tokenizerShape()));
    NDArray ids = c.tokenizer().encode(pixels);
    long n = (long) b.batch() * b.targetGrid().size();
    if (ids.getShape().size() != n) {
      throw new BevtException(
          "tokenizer " + c.tokenizer().getClass().getSimpleName() + " returned ids of shape " + ids.getShape() + " for "
              + Arrays.toString(b.tokenizerShape()) + " pixels; expected " + n + " ids (" + b.batch() + " x " + b.targetGrid() + ")");
    }
    if (ids.getDataType() != DataType.INT64) {
      ids = ids.toType(DataType.INT64, false);
    }
    NDArray index = manager.create(b.maskedIndex());
    return ids.reshape(n).get(new NDIndex("{}", index));
  }

  /**
   * A device array with host values. On CPU, DJL wraps a Java direct buffer ({@code from_blob}),
   * whose alignment varies from run to run; a copy into engine-allocated memory keeps kernels whose
   * rounding may depend on alignment (BLAS, oneDNN) bit-reproducible.
   */
  static NDArray fromHost(NDManager manager, float[] values, Shape shape) {
    NDArray a = manager.create(values, shape);
    if (!a.getDevice().isGpu()) {
      NDArray copy = a.duplicate();
      a.close();
      return copy;
    }
    return a;
  }

  /** Checks target ids lie in [0, vocab). */
  public static void checkVocabulary(NDArray targets, int vocab, StreamKind stream, String tokenizer) {
    if (targets.getShape().size() == 0) {
      return;
    }
    long max = targets.max().getLong();
    long min = targets.min().getLong();
    if (min < 0 || max >= vocab) {
      throw new BevtException(
          "tokenizer " + tokenizer + " produced " + stream.configName() + " token ids in [" + min + ", " + max + "], outside its vocabulary of "
              + vocab);
    }
  }

  /**
   * Forward of one stream (call inside a {@code GradientCollector}): backbone with the masks,
   * decoder, masked-row selection, head, CE and accuracy.
   */
  public static Result forward(MaskedModelingModel model, MaskedBatch b, NDArray targets, NDManager manager, boolean training) {
    long m = b.maskedIndex().length;
    if (m == 0) {
      return new Result(null, null, 0);
    }
    NDArray input = fromHost(manager, b.input(), new Shape(b.inputShape()));
    NDArray mask = manager.create(b.masks(), new Shape(b.maskShape()));
    NDArray features = model.decode(b.stream(), input, mask, training);
    long n = b.targetGrid().size();
    Shape expected = new Shape(b.batch(), n, model.featureDim());
    if (!features.getShape().equals(expected)) {
      throw new BevtException(
          b.stream().configName() + " decoder " + model.components().decoder(b.stream()).getClass().getSimpleName() + " returned "
              + features.getShape() + "; expected " + expected + " (B, target grid " + b.targetGrid() + ", feature width)");
    }
    NDArray index = manager.create(b.maskedIndex());
    NDArray selected = features.reshape(b.batch() * n, model.featureDim()).get(new NDIndex("{}", index));
    NDArray logits = model.head().forward(selected);
    NDArray logp = logits.logSoftmax(1);
    NDArray loss = logp.gather(targets.reshape(m, 1), 1).neg().mean();
    NDArray correct = logits.argMax(1).eq(targets).sum();
    return new Result(loss, correct, m);
  }
}
