package org.bevt4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Param;
import org.junit.jupiter.api.Test;

class BackboneFeatureNetworkTest {
  /** Two patch convs: a 5-D spatial map and a token sequence with one class token. */
  static final class TwoStage extends Module implements Backbone {
    final Conv a = child("a", Conv.builder(3, 4, 2, 2).optStride(2, 2).build());
    final Conv b = child("b", Conv.builder(4, 6, 2, 2).optStride(2, 2).build());
    boolean images = true;

    @Override
    public BackboneOutput forwardVideo(NDArray video, NDArray mask, boolean training) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean supportsImages() {
      return images;
    }

    @Override
    public BackboneOutput forwardImage(NDArray x, NDArray mask, boolean training) {
      NDArray s1 = a.forward(x);
      NDArray s2 = b.forward(s1);
      Shape q = s2.getShape();
      NDArray seq = s2.reshape(q.get(0), q.get(1), -1).transpose(0, 2, 1);
      NDArray cls = seq.get(":, 0:1, :");
      NDArray tokens = cls.concat(seq, 1);
      return new BackboneOutput(StreamKind.IMAGE, List.of(
          FeatureMap.spatial("stage1", s1.expandDims(2), new TokenGrid(1, (int) s1.getShape().get(2), (int) s1.getShape().get(3))),
          FeatureMap.sequence("stage2", tokens, TokenGrid.image((int) q.get(2), (int) q.get(3)), 1)));
    }

    @Override
    public TokenGrid maskGrid(StreamKind stream, int frames, int height, int width) {
      return TokenGrid.image(height / 4, width / 4);
    }

    @Override
    public String defaultDecoder(StreamKind stream) {
      return "none";
    }

    @Override
    public int numFeatures() {
      return 6;
    }
  }

  @Test
  void featuresArePlanarFrozenAndPassGradientsToTheInput() {
    try (NDManager m = NDManager.newBaseManager()) {
      TwoStage bb = new TwoStage();
      bb.initialize(m);
      BackboneFeatureNetwork net = new BackboneFeatureNetwork(bb, List.of(), new float[] {0.5f, 0.5f, 0.5f},
          new float[] {0.25f, 0.25f, 0.25f}, 16, "test");
      assertThat(bb.namedParameters().values()).noneMatch(Param::isTrainable);
      NDArray x = m.randomUniform(0f, 1f, new Shape(2, 3, 8, 8));
      x.setRequiresGradient(true);
      List<NDArray> f;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        f = net.features(x);
        gc.backward(f.get(1).sum().add(f.get(0).sum()));
      }
      // resized 8 -> 16 first: stage1 (2, 4, 8, 8), stage2 tokens (2, 1 + 16, 6) -> (2, 6, 4, 4)
      assertThat(f).extracting(NDArray::getShape).containsExactly(new Shape(2, 4, 8, 8), new Shape(2, 6, 4, 4));
      assertThat(x.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
      for (Map.Entry<String, Param> p : bb.namedParameters().entrySet()) {
        assertThat(p.getValue().array().hasGradient()).as(p.getKey()).isFalse();
      }
      BackboneFeatureNetwork one = new BackboneFeatureNetwork(bb, List.of("stage2"), new float[] {0, 0, 0}, new float[] {1, 1, 1}, 0, "t");
      assertThat(one.features(m.zeros(new Shape(1, 3, 8, 8)))).extracting(NDArray::getShape).containsExactly(new Shape(1, 6, 2, 2));
      bb.images = false;
      assertThatThrownBy(() -> new BackboneFeatureNetwork(bb, List.of(), new float[3], new float[] {1, 1, 1}, 0, "t"))
          .hasMessageContaining("image stream");
    }
  }
}
