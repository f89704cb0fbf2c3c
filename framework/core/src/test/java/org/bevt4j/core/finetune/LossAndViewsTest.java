package org.bevt4j.core.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.loader.DataLoader;
import org.bevt4j.core.data.loader.HostBatch;
import org.bevt4j.core.data.loader.LoaderCursor;
import org.bevt4j.core.optim.AdamW;
import org.bevt4j.core.optim.OptimParam;
import org.bevt4j.core.optim.ParamGroups;
import org.bevt4j.core.train.Rngs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loss is the label-smoothed CE of the batch; validation averages softmax over the views. */
class LossAndViewsTest {
  @TempDir Path tmp;

  /**
   * One fine-tuning step on a model with sharpened head weights (so smoothing matters), against the
   * smoothed and plain cross-entropy of the same first batch computed here by hand.
   */
  private static double[] stepAndHand(Config cfg, long seed) throws Exception {
    FinetuneSettings s = FtTesting.settings(cfg);
    try (NDManager m = FtTesting.manager()) {
      FinetuneModel model = new FinetuneModel(FtTesting.backbone(m, seed, 0.0), 11, 0.0, FinetuneSettings.Pooling.MEAN, m);
      NDArray w = model.head().namedParameters().get("fc_cls.weight").array();
      model.head().namedParameters().get("fc_cls.weight").copyFrom(m.randomNormal(0, 1, w.getShape(), w.getDataType()));
      Dataset train = FtTesting.dataset(s.trainData());
      long dataSeed = Rngs.derive(s.seed(), Rngs.DATA, 0);
      HostBatch hb;
      try (DataLoader dl = new DataLoader(train, FtTesting.loader(cfg), s.batchSize(), dataSeed, 0, 1, LoaderCursor.start())) {
        hb = dl.next();
      }
      NDArray x = m.create(hb.input().data(), new Shape(hb.input().shape()));
      float[] logits = model.logits(StreamKind.VIDEO, x, false).toFloatArray();
      double eps = s.labelSmoothing();
      double smoothed = 0;
      double plain = 0;
      int k = 11;
      for (int i = 0; i < hb.size(); i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          max = Math.max(max, logits[i * k + c]);
        }
        double z = 0;
        for (int c = 0; c < k; c++) {
          z += Math.exp(logits[i * k + c] - max);
        }
        double logZ = max + Math.log(z);
        double sumLogp = 0;
        for (int c = 0; c < k; c++) {
          sumLogp += logits[i * k + c] - logZ;
        }
        double nll = -(logits[i * k + hb.labels()[i]] - logZ);
        plain += nll;
        smoothed += (1 - eps) * nll - eps / k * sumLogp;
      }
      List<OptimParam> params = ParamGroups.build(model.trainableParameters(), 0, List.of(), false, ParamGroups.NO_LR_SCALE);
      try (AdamW opt = new AdamW(params, 0.9, 0.999, 1e-8, m);
          DataLoader dl = new DataLoader(train, FtTesting.loader(cfg), s.batchSize(), dataSeed, 0, 1, LoaderCursor.start())) {
        FinetuneStep.Outcome o = new FinetuneStep(model, s, StreamKind.VIDEO, opt, s.schedule().build(s.optimizer().lr(), 1, 1), m).run(0, dl);
        assertThat(o.samples()).isEqualTo(hb.size());
        return new double[] {o.loss(), smoothed / hb.size(), plain / hb.size()};
      }
    }
  }

  @Test
  void trainingLossIsLabelSmoothedCrossEntropy() throws Exception {
    double[] smoothed = stepAndHand(FtTesting.config(tmp.resolve("a"), "bevt.finetune.label-smoothing = 0.2"), 5);
    assertThat(Math.abs(smoothed[1] - smoothed[2])).as("smoothing changes the loss of this batch").isGreaterThan(1e-2);
    assertThat(smoothed[0]).isCloseTo(smoothed[1], within(1e-5));
    double[] plain = stepAndHand(FtTesting.config(tmp.resolve("b"), "bevt.finetune.label-smoothing = 0"), 5);
    assertThat(plain[0]).isCloseTo(plain[2], within(1e-5));
    assertThat(plain[2]).isCloseTo(smoothed[2], within(1e-5)); // the same batch and model
  }

  @Test
  void validationAveragesSoftmaxOverClipsAndCrops() throws Exception {
    Config cfg = FtTesting.config(tmp.resolve("v"), "bevt.finetune { test { clips = 2, crops = 3, max-views-per-forward = 4 } }");
    FinetuneSettings s = FtTesting.settings(cfg);
    try (NDManager m = FtTesting.manager()) {
      FinetuneModel model = new FinetuneModel(FtTesting.backbone(m, 9, 0.0), 11, 0.5, FinetuneSettings.Pooling.MEAN, m);
      // sharper logits than the 0.01-std init, so that how views are combined matters
      NDArray w = model.head().namedParameters().get("fc_cls.weight").array();
      model.head().namedParameters().get("fc_cls.weight").copyFrom(m.randomNormal(0, 1, w.getShape(), w.getDataType()));
      Dataset val = FtTesting.dataset(s.valData());
      EvalResult r = new Evaluator(model, val, FtTesting.loader(cfg), 3, s.maxViewsPerForward(), m).evaluate(0);
      assertThat(r.views()).isEqualTo(6);
      assertThat(r.count()).isEqualTo(val.size());

      double probNll = 0;
      double logitNll = 0;
      long top1 = 0;
      for (long i = 0; i < val.size(); i++) {
        Sample smp = val.load(i, new SplittableRandom(0));
        assertThat(smp.input().shape()).containsExactly(6, 3, 8, 32, 32);
        NDArray x = m.create(smp.input().data(), new Shape(smp.input().shape()));
        float[] lg = model.logits(StreamKind.VIDEO, x, false).toFloatArray();
        double[] avgP = new double[11];
        double[] avgL = new double[11];
        for (int v = 0; v < 6; v++) {
          double max = Double.NEGATIVE_INFINITY;
          for (int c = 0; c < 11; c++) {
            max = Math.max(max, lg[v * 11 + c]);
          }
          double z = 0;
          for (int c = 0; c < 11; c++) {
            z += Math.exp(lg[v * 11 + c] - max);
          }
          for (int c = 0; c < 11; c++) {
            avgP[c] += Math.exp(lg[v * 11 + c] - max) / z / 6;
            avgL[c] += lg[v * 11 + c] / 6;
          }
        }
        int best = 0;
        for (int c = 1; c < 11; c++) {
          if (avgP[c] > avgP[best]) {
            best = c;
          }
        }
        top1 += best == smp.label() ? 1 : 0;
        probNll += -Math.log(avgP[smp.label()]);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : avgL) {
          max = Math.max(max, v);
        }
        double z = 0;
        for (double v : avgL) {
          z += Math.exp(v - max);
        }
        logitNll += -(avgL[smp.label()] - max - Math.log(z));
      }
      probNll /= val.size();
      logitNll /= val.size();
      assertThat(Math.abs(probNll - logitNll)).as("averaging probabilities differs from averaging logits here").isGreaterThan(1e-3);
      assertThat(r.loss()).isCloseTo(probNll, within(1e-4));
      assertThat(r.top1()).isEqualTo(top1 / (double) val.size());
    }
  }
}
