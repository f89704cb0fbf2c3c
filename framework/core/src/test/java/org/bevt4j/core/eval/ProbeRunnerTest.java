package org.bevt4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.core.ProgressListener;
import org.bevt4j.core.config.ConfigLoader;
import org.bevt4j.core.data.DataSources;
import org.bevt4j.nn.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The linear-probe pipeline: split, options, multi-view features, report files. */
class ProbeRunnerTest {
  @TempDir Path tmp;

  /** A parameter-free backbone whose final map is the input itself (channels-first), so pooling gives channel means. */
  static final class IdentityBackbone implements Backbone {
    @Override
    public BackboneOutput forwardVideo(NDArray video, NDArray mask, boolean training) {
      long[] s = video.getShape().getShape();
      return new BackboneOutput(StreamKind.VIDEO, List.of(FeatureMap.spatial("x", video, new TokenGrid((int) s[2], (int) s[3], (int) s[4]))));
    }

    @Override
    public boolean supportsImages() {
      return true;
    }

    @Override
    public BackboneOutput forwardImage(NDArray images, NDArray mask, boolean training) {
      long[] s = images.getShape().getShape();
      return new BackboneOutput(StreamKind.IMAGE, List.of(FeatureMap.spatial("x", images.expandDims(2), TokenGrid.image((int) s[2], (int) s[3]))));
    }

    @Override
    public TokenGrid maskGrid(StreamKind stream, int frames, int height, int width) {
      return new TokenGrid(frames, height, width);
    }

    @Override
    public String defaultDecoder(StreamKind stream) {
      return "none";
    }

    @Override
    public int numFeatures() {
      return 3;
    }

    @Override
    public Map<String, Param> namedParameters() {
      return Map.of();
    }
  }

  private static FeatureSet labelled(int... labels) {
    float[][] f = new float[labels.length][];
    for (int i = 0; i < labels.length; i++) {
      f[i] = new float[] {i, labels[i]};
    }
    return new FeatureSet(f, labels);
  }

  @Test
  void stratifiedSplitIsDisjointProportionalAndDeterministic() {
    int[] labels = new int[40];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i < 30 ? i % 3 : 3; // classes 0..2: 10 each, class 3: 10
    }
    FeatureSet all = labelled(labels);
    FeatureSplit s = FeatureSplit.stratified(all, 0.2, 7);
    assertThat(s.train().size() + s.val().size()).isEqualTo(40);
    assertThat(s.val().size()).isEqualTo(8);
    Set<Float> ids = new HashSet<>();
    for (float[] r : s.train().features()) {
      ids.add(r[0]);
    }
    for (float[] r : s.val().features()) {
      assertThat(ids.add(r[0])).as("sample in both parts").isTrue();
    }
    for (int c = 0; c < 4; c++) {
      final int cls = c;
      assertThat(Arrays.stream(s.val().labels()).filter(l -> l == cls).count()).isEqualTo(2);
    }
    FeatureSplit again = FeatureSplit.stratified(all, 0.2, 7);
    assertThat(again.val().labels()).containsExactly(s.val().labels());
    assertThat(again.val().features()).isDeepEqualTo(s.val().features());
    FeatureSplit other = FeatureSplit.stratified(all, 0.2, 8);
    assertThat(other.val().features()).isNotEqualTo(s.val().features());
  }

  @Test
  void singletonClassesStayInTrainingAndAnEmptyValidationSetIsRefused() {
    FeatureSplit s = FeatureSplit.stratified(labelled(0, 0, 0, 0, 1), 0.5, 0);
    assertThat(s.val().labels()).containsOnly(0);
    assertThat(s.train().labels()).contains(1);
    assertThatThrownBy(() -> FeatureSplit.stratified(labelled(0, 1, 2), 0.3, 0))
        .hasMessageContaining("validation split is empty");
  }

  @Test
  void optionsComeFromTheReferenceAndBadValuesNameTheirKey() {
    Config root = ConfigLoader.defaults(Map.of()).config();
    ProbeOptions o = ProbeOptions.from(root);
    assertThat(o.stream()).isEqualTo(StreamKind.VIDEO);
    assertThat(o.pooling()).isEqualTo(FeatureExtractor.Pooling.MEAN);
    assertThat(o.valFraction()).isEqualTo(0.2);
    assertThat(o.trainSet()).isNull();
    assertThat(o.training().epochs()).isEqualTo(100);
    assertThat(o.featureBatch()).isEqualTo(root.getInt("bevt.data.video.batch-size"));
    assertThat(o.workers()).isPositive();
    assertThatThrownBy(() -> ProbeOptions.from(ConfigFactory.parseString("bevt.eval.probe.pooling = max").withFallback(root)))
        .isInstanceOf(BevtConfigException.class).hasMessageContaining("bevt.eval.probe.pooling").hasMessageContaining("[mean, cls, temporal]");
    assertThatThrownBy(() -> ProbeOptions.from(ConfigFactory.parseString("bevt.eval.probe.train-set = a.b").withFallback(root)))
        .isInstanceOf(BevtConfigException.class).hasMessageContaining("bevt.eval.probe.val-set");
    assertThatThrownBy(() -> ProbeOptions.from(ConfigFactory.parseString("bevt.eval.probe.val-fraction = 1").withFallback(root)))
        .isInstanceOf(BevtConfigException.class).hasMessageContaining("val-fraction");
  }

  @Test
  void evaluationViewsAreAveragedPerSample() throws Exception {
    // two samples of 3 views (3, 2, 2) each: view v of sample i has constant value 10 i + v in channel c (+ c)
    Dataset views = new Dataset() {
      @Override
      public StreamKind stream() {
        return StreamKind.IMAGE;
      }

      @Override
      public long size() {
        return 2;
      }

      @Override
      public List<String> classes() {
        return List.of("a", "b");
      }

      @Override
      public Sample load(long index, RandomGenerator rng) {
        float[] d = new float[3 * 3 * 4];
        for (int v = 0; v < 3; v++) {
          for (int c = 0; c < 3; c++) {
            Arrays.fill(d, (v * 3 + c) * 4, (v * 3 + c + 1) * 4, 10f * index + v + c);
          }
        }
        return new Sample(new HostTensor(d, new long[] {3, 3, 2, 2}), null, (int) index, "s" + index);
      }
    };
    try (NDManager m = NDManager.newBaseManager()) {
      FeatureSet fs = new FeatureExtractor(new IdentityBackbone(), m, 2, 1, FeatureExtractor.Pooling.MEAN).compute(views, 0);
      assertThat(fs.features()[0]).containsExactly(new float[] {1, 2, 3}, within(1e-6f));
      assertThat(fs.features()[1]).containsExactly(new float[] {11, 12, 13}, within(1e-6f));
    }
  }

  @Test
  void runsEndToEndOnSyntheticImagesAndWritesItsReports() throws Exception {
    Config root = ConfigLoader.defaults(Map.of()).config();
    Config block = ProbeDatasets.block(ConfigFactory.parseString(
        "bevt.data.image { crop-size = 16, eval.short-side = 16, synthetic { size = 24, width = 40, height = 32 } }").withFallback(root),
        StreamKind.IMAGE, null);
    ProbeOptions o = ProbeOptions.from(ConfigFactory.parseString("bevt.eval.probe { epochs = 30, batch-size = 8 }").withFallback(root))
        .withStream(StreamKind.IMAGE);
    List<Long> progress = new java.util.ArrayList<>();
    ProgressListener p = (name, initial, total, unit) -> new ProgressListener.Task() {
      @Override
      public void update(long done) {
        progress.add(done);
      }

      @Override
      public void message(String message) {}

      @Override
      public void close() {}
    };
    try (NDManager m = NDManager.newBaseManager(); Dataset ds = DataSources.create(block, null)) {
      ProbeResult r = ProbeRunner.run(new IdentityBackbone(), m, ProbeRunner.Data.split(ds, "synthetic-24"), o, tmp, p);
      assertThat(r.trainSamples() + r.valSamples()).isEqualTo(24);
      assertThat(r.featureDim()).isEqualTo(3);
      assertThat(r.classes()).containsExactly("disc", "square", "triangle", "cross");
      assertThat(r.top1()).isBetween(0.0, 1.0);
      assertThat(r.top5()).isEqualTo(1.0); // 4 classes: top-4 always hits
      assertThat(progress).isNotEmpty().last().isEqualTo(24L);
      JsonObject j = JsonParser.parseString(Files.readString(tmp.resolve(ProbeRunner.JSON))).getAsJsonObject();
      assertThat(j.get("top1").getAsDouble()).isEqualTo(r.top1());
      assertThat(j.get("top5_k").getAsInt()).isEqualTo(4);
      assertThat(j.getAsJsonArray("per_class")).hasSize(4);
      assertThat(tmp.resolve(ProbeRunner.CONFUSION_PNG)).isRegularFile();
      try (var files = Files.list(tmp.resolve(ProbeRunner.FEATURES_DIR))) {
        assertThat(files.count()).isEqualTo(1);
      }
      assertThat(r.describe()).contains("top-1").contains("disc");
    }
  }
}
