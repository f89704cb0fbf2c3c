package org.bevt4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Only masked positions contribute to the loss; masks are upsampled from the mask grid to the target grid. */
class MaskedLossTest {
  private static float loss(MaskedModelingModel model, MaskedBatch b, NDManager m) {
    try (NDScope s = new NDScope()) {
      NDArray targets = MaskedLoss.targets(b, model.components(), m);
      return MaskedLoss.forward(model, b, targets, m, false).loss().getFloat();
    }
  }

  private static long[] allIds(PretrainComponents c, MaskedBatch b, NDManager m) {
    try (NDScope s = new NDScope()) {
      return c.tokenizer().encode(m.create(b.tokenizerInput(), new Shape(b.tokenizerShape()))).toLongArray();
    }
  }

  /** Inverts the tokenizer pixels of the target cells that are (or are not) masked. */
  private static List<Sample> invertCells(List<Sample> samples, MaskedBatch b, boolean masked) {
    Set<Long> idx = new HashSet<>();
    for (long i : b.maskedIndex()) {
      idx.add(i);
    }
    TokenGrid g = b.targetGrid();
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      HostTensor t = samples.get(i).tokenizerInput(); // (T, 3, h, w)
      float[] v = t.data().clone();
      int h = (int) t.dim(2);
      int w = (int) t.dim(3);
      int q = h / g.h();
      for (int j = 0; j < g.size(); j++) {
        if (idx.contains((long) i * g.size() + j) != masked) {
          continue;
        }
        int f = j / g.plane();
        int y = (j % g.plane()) / g.w();
        int x = j % g.w();
        for (int ch = 0; ch < 3; ch++) {
          for (int dy = 0; dy < q; dy++) {
            for (int dx = 0; dx < q; dx++) {
              int k = ((f * 3 + ch) * h + y * q + dy) * w + x * q + dx;
              v[k] = 1 - v[k];
            }
          }
        }
      }
      Sample s = samples.get(i);
      out.add(new Sample(s.input(), new HostTensor(v, t.shape()), s.label(), s.source()));
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(StreamKind.class)
  void onlyMaskedPositionsContribute(StreamKind stream) throws Exception {
    try (NDManager m = Tiny.manager()) {
      PretrainComponents c = Tiny.components(m, 2, 3, 3, 0.0, 2);
      Engine.getInstance().setRandomSeed(5);
      MaskedModelingModel model = new MaskedModelingModel(c, m);
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        samples.add(c.dataset(stream).load(i, new SplittableRandom(i)));
      }
      IntFunction<RandomGenerator> rng = i -> new SplittableRandom(1000 + i);
      MaskedBatch b = MaskedBatch.prepare(stream, samples, c, rng);
      TokenGrid target = b.targetGrid();
      assertThat(b.maskedIndex().length).isEqualTo(3 * b.maskGrid().size() / 2 * target.size() / b.maskGrid().size());
      if (stream == StreamKind.VIDEO) {
        assertThat(target.t()).isEqualTo(2 * b.maskGrid().t());
        // both frames of a temporal token share its mask
        Set<Long> idx = new HashSet<>();
        for (long i : b.maskedIndex()) {
          idx.add(i);
        }
        for (int i = 0; i < 3; i++) {
          for (int t = 0; t < target.t(); t += 2) {
            for (int p = 0; p < target.plane(); p++) {
              long even = (long) i * target.size() + (long) t * target.plane() + p;
              assertThat(idx.contains(even + target.plane())).isEqualTo(idx.contains(even));
              int mt = t / 2;
              assertThat(idx.contains(even)).isEqualTo(b.masks()[i * b.maskGrid().size() + mt * b.maskGrid().plane() + p]);
            }
          }
        }
      }
      float base = loss(model, b, m);
      long[] ids = allIds(c, b, m);

      MaskedBatch unmaskedChanged = MaskedBatch.prepare(stream, invertCells(samples, b, false), c, rng);
      assertThat(unmaskedChanged.maskedIndex()).containsExactly(b.maskedIndex());
      assertThat(allIds(c, unmaskedChanged, m)).isNotEqualTo(ids); // the targets really changed...
      assertThat(loss(model, unmaskedChanged, m)).isEqualTo(base); // ...but only where nothing is predicted

      MaskedBatch maskedChanged = MaskedBatch.prepare(stream, invertCells(samples, b, true), c, rng);
      assertThat(loss(model, maskedChanged, m)).isNotEqualTo(base);
    }
  }
}
