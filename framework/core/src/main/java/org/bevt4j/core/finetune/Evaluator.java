package org.bevt4j.core.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.loader.DataLoader;
import org.bevt4j.core.data.loader.HostBatch;
import org.bevt4j.core.data.loader.LoaderCursor;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.bevt4j.core.eval.ClassificationMetrics;
import org.bevt4j.core.eval.MultiViewScores;

/**
 * Multi-clip x multi-crop validation: every video of the dataset (in order, once, the last batch
 * possibly short) is loaded with its V deterministic views {@code (V, 3, T, S, S)}; the views go
 * through the backbone and head in eval mode (at most {@code maxViewsPerForward} per forward, each
 * in its own {@link NDScope}); the softmax scores of one video's views are averaged
 * ({@link MultiViewScores}, mmaction's {@code average_clips = 'prob'}) and top-k taken on the
 * average ({@link ClassificationMetrics}).
 */
public final class Evaluator {
  private final FinetuneModel model;
  private final Dataset dataset;
  private final LoaderSettings loader;
  private final int batchSize;
  private final int maxViews;
  private final NDManager manager;

  /**
   * @param loader threads / prefetch / error policy (order and drop-last are forced: in order, none dropped)
   * @param batchSize videos per loaded batch
   * @param maxViews views per forward
   * @param manager the manager inputs are created in (on the model's device)
   */
  public Evaluator(FinetuneModel model, Dataset dataset, LoaderSettings loader, int batchSize, int maxViews, NDManager manager) {
    this.model = model;
    this.dataset = dataset;
    this.loader = loader.withShuffle(false, false);
    this.batchSize = batchSize;
    this.maxViews = maxViews;
    this.manager = manager;
  }

  /** Evaluates every sample; {@code step} labels the result. */
  public EvalResult evaluate(long step) {
    long t0 = System.nanoTime();
    int k = model.numClasses();
    ClassificationMetrics metrics = new ClassificationMetrics(k);
    double nll = 0;
    int views = -1;
    StreamKind stream = dataset.stream();
    int sampleRank = stream == StreamKind.VIDEO ? 4 : 3;
    try (DataLoader dl = new DataLoader(dataset, loader, Math.toIntExact(Math.min(batchSize, dataset.size())), 0L, 0, 1, LoaderCursor.start())) {
      long batches = dl.batchesPerEpoch();
      for (long b = 0; b < batches; b++) {
        HostBatch hb = dl.next();
        long[] shape = hb.input().shape();
        int v = shape.length == sampleRank + 2 ? (int) shape[1] : 1;
        if (shape.length != sampleRank + 1 && shape.length != sampleRank + 2) {
          throw new BevtException("validation batch has shape " + Arrays.toString(shape) + "; expected (B, [V,] "
              + (stream == StreamKind.VIDEO ? "3, T, H, W)" : "3, H, W)"));
        }
        views = v;
        long[] viewShape = Arrays.copyOfRange(shape, shape.length - sampleRank, shape.length);
        float[][] logits = forwardViews(hb.input().data(), hb.size() * v, viewShape, stream);
        for (int i = 0; i < hb.size(); i++) {
          int label = hb.labels()[i];
          if (label < 0 || label >= k) {
            throw new BevtException("validation sample " + hb.sources().get(i) + " has label " + label + ", outside the head's "
                + k + " classes [0, " + k + ")");
          }
          MultiViewScores s = new MultiViewScores(k);
          for (int j = 0; j < v; j++) {
            s.addLogits(logits[i * v + j]);
          }
          float[] avg = s.average();
          metrics.add(avg, label);
          nll += -Math.log(Math.max(avg[label], 1e-12));
        }
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    long n = metrics.count();
    return new EvalResult(step, metrics, n == 0 ? Double.NaN : nll / n, Math.max(views, 1), dataset.classes(), secs);
  }

  /** Logits of {@code n} views laid out back to back in {@code data}, each of {@code viewShape}. */
  private float[][] forwardViews(float[] data, int n, long[] viewShape, StreamKind stream) {
    int per = data.length / n;
    int k = model.numClasses();
    float[][] out = new float[n][];
    for (int start = 0; start < n; start += maxViews) {
      int count = Math.min(maxViews, n - start);
      long[] s = new long[viewShape.length + 1];
      s[0] = count;
      System.arraycopy(viewShape, 0, s, 1, viewShape.length);
      float[] chunk = Arrays.copyOfRange(data, start * per, (start + count) * per);
      try (NDScope scope = new NDScope()) {
        NDArray x = FinetuneStep.fromHost(manager, chunk, new Shape(s));
        float[] flat = model.logits(stream, x, false).toFloatArray();
        for (int i = 0; i < count; i++) {
          out[start + i] = Arrays.copyOfRange(flat, i * k, (i + 1) * k);
        }
      }
    }
    return out;
  }
}
