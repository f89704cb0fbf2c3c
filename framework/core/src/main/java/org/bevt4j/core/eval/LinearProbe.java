package org.bevt4j.core.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;

/**
 * A linear classifier on frozen features: features are standardised with the training mean/std, then
 * W (D x K) and b are trained with softmax cross-entropy and AdamW on seeded mini-batches, starting
 * from zero (deterministic on CPU). Evaluation returns {@link ClassificationMetrics}.
 */
public final class LinearProbe {
  private final ProbeSettings settings;
  private float[] mean;
  private float[] std;
  private float[] weight;
  private float[] bias;
  private int dim;
  private int classes;

  public LinearProbe(ProbeSettings settings) {
    this.settings = settings;
  }

  /** Trains on {@code train} with {@code numClasses} outputs; returns the final training loss. */
  public double fit(FeatureSet train, int numClasses) {
    this.dim = train.dim();
    this.classes = numClasses;
    computeStandardisation(train);
    int n = train.size();
    float[] x = standardise(train);
    double lastLoss = Double.NaN;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.zeros(new Shape(dim, classes));
      NDArray b = m.zeros(new Shape(classes));
      NDArray mw = m.zeros(w.getShape());
      NDArray vw = m.zeros(w.getShape());
      NDArray mb = m.zeros(b.getShape());
      NDArray vb = m.zeros(b.getShape());
      w.setRequiresGradient(true);
      b.setRequiresGradient(true);
      NDArray xs = m.create(x, new Shape(n, dim));
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      SplittableRandom rng = new SplittableRandom(settings.seed());
      int step = 0;
      for (int epoch = 0; epoch < settings.epochs(); epoch++) {
        shuffle(order, rng);
        double epochLoss = 0;
        int batches = 0;
        for (int s = 0; s < n; s += settings.batchSize()) {
          int e = Math.min(n, s + settings.batchSize());
          step++;
          try (NDScope scope = new NDScope()) {
            long[] idx = new long[e - s];
            float[] onehot = new float[(e - s) * classes];
            for (int k = s; k < e; k++) {
              idx[k - s] = order[k];
              onehot[(k - s) * classes + train.labels()[order[k]]] = 1f;
            }
            NDArray xb = xs.get(m.create(idx));
            NDArray yb = m.create(onehot, new Shape(e - s, classes));
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDArray logits = xb.matMul(w).add(b);
              loss = logits.logSoftmax(1).mul(yb).sum(new int[] {1}).neg().mean();
              gc.backward(loss);
            }
            epochLoss += loss.getFloat();
            batches++;
            adamw(w, w.getGradient(), mw, vw, step, settings.weightDecay());
            adamw(b, b.getGradient(), mb, vb, step, 0);
            w.getGradient().subi(w.getGradient());
            b.getGradient().subi(b.getGradient());
          }
        }
        lastLoss = epochLoss / Math.max(1, batches);
      }
      this.weight = w.toFloatArray();
      this.bias = b.toFloatArray();
    }
    return lastLoss;
  }

  private void adamw(NDArray p, NDArray g, NDArray m1, NDArray v1, int t, double wd) {
    double b1 = 0.9;
    double b2 = 0.999;
    double lr = settings.lr();
    p.muli(1 - lr * wd);
    m1.muli(b1).addi(g.mul(1 - b1));
    v1.muli(b2).addi(g.square().mul(1 - b2));
    double c1 = 1 - Math.pow(b1, t);
    double c2 = 1 - Math.pow(b2, t);
    NDArray upd = m1.div(c1).div(v1.div(c2).sqrt().add(1e-8)).mul(lr);
    p.subi(upd);
  }

  /** Class scores for one feature vector (requires {@link #fit}). */
  public float[] scores(float[] feature) {
    float[] out = new float[classes];
    for (int k = 0; k < classes; k++) {
      double s = bias[k];
      for (int d = 0; d < dim; d++) {
        s += ((feature[d] - mean[d]) / std[d]) * weight[d * classes + k];
      }
      out[k] = (float) s;
    }
    return out;
  }

  /** Top-1/top-5, confusion and per-class accuracy on {@code test}. */
  public ClassificationMetrics evaluate(FeatureSet test) {
    ClassificationMetrics m = new ClassificationMetrics(classes);
    for (int i = 0; i < test.size(); i++) {
      m.add(scores(test.features()[i]), test.labels()[i]);
    }
    return m;
  }

  private void computeStandardisation(FeatureSet train) {
    mean = new float[dim];
    std = new float[dim];
    int n = train.size();
    for (float[] r : train.features()) {
      for (int d = 0; d < dim; d++) {
        mean[d] += r[d] / n;
      }
    }
    for (float[] r : train.features()) {
      for (int d = 0; d < dim; d++) {
        double c = r[d] - mean[d];
        std[d] += (float) (c * c / n);
      }
    }
    for (int d = 0; d < dim; d++) {
      std[d] = (float) Math.sqrt(std[d] + 1e-6);
    }
  }

  private float[] standardise(FeatureSet fs) {
    float[] x = new float[fs.size() * dim];
    for (int i = 0; i < fs.size(); i++) {
      for (int d = 0; d < dim; d++) {
        x[i * dim + d] = (fs.features()[i][d] - mean[d]) / std[d];
      }
    }
    return x;
  }

  private static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
