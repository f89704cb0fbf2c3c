package org.bevt4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.loader.DataLoader;
import org.bevt4j.core.data.loader.LoaderCursor;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.bevt4j.core.data.loader.OnError;
import org.bevt4j.core.data.transform.ClipSettings;
import org.junit.jupiter.api.Test;

class ConfigDefaultsTest {
  @Test
  void referenceDefaultsAreTheBevtRecipe() {
    StreamSettings v = StreamSettings.parse(TestData.stream("video", ""), null);
    StreamSettings i = StreamSettings.parse(TestData.stream("image", ""), null);
    assertThat(v.stream()).isEqualTo(StreamKind.VIDEO);
    assertThat(v.type()).isEqualTo("synthetic");
    assertThat(v.clip()).isEqualTo(new ClipSettings(16, 8, ClipSettings.Sampling.RANDOM));
    assertThat(v.batchSize()).isEqualTo(4);
    assertThat(i.batchSize()).isEqualTo(32);
    for (StreamSettings s : List.of(v, i)) {
      assertThat(s.augment().cropSize()).isEqualTo(224);
      assertThat(s.augment().scaleMin()).isEqualTo(256);
      assertThat(s.augment().scaleMax()).isEqualTo(320);
      assertThat(s.augment().interpolation()).isEqualTo("bicubic");
      assertThat(s.augment().flip()).isEqualTo(0.5);
      assertThat(s.augment().tokenizerSize()).isEqualTo(112);
      assertThat(s.augment().lanczosOrder()).isEqualTo(4);
      assertThat(s.augment().mean()).containsExactly(123.675f, 116.28f, 103.53f);
      assertThat(s.augment().std()).containsExactly(58.395f, 57.12f, 57.375f);
    }
    assertThat(v.augment().jitter().enabled()).isFalse();
    assertThat(i.augment().jitter().brightness()).isEqualTo(0.4);
    LoaderSettings l = LoaderSettings.parse(TestData.data("").getConfig("loader"));
    assertThat(l.onError()).isEqualTo(OnError.SKIP);
    assertThat(l.prefetch()).isEqualTo(4);
  }

  @Test
  void defaultSyntheticSamplesHaveBevtShapes() throws Exception {
    try (Dataset v = DataSources.create(TestData.stream("video", "synthetic.size = 3"), null);
        Dataset i = DataSources.create(TestData.stream("image", "synthetic.size = 3"), null)) {
      Sample c = v.load(1, new SplittableRandom(0));
      assertThat(c.input().shape()).containsExactly(3, 16, 224, 224);
      assertThat(c.tokenizerInput().shape()).containsExactly(16, 3, 112, 112);
      Sample im = i.load(1, new SplittableRandom(0));
      assertThat(im.input().shape()).containsExactly(3, 224, 224);
      assertThat(im.tokenizerInput().shape()).containsExactly(1, 3, 112, 112);
      for (float f : im.tokenizerInput().data()) {
        assertThat(f).isBetween(0f, 1f);
      }
    }
  }

  @Test
  void evalModeGivesClipsTimesCropsViews() throws Exception {
    String block = "mode = eval, crop-size = 32, clip-len = 4, frame-interval = 2, "
        + "eval { short-side = 32, crop = three, clips = 2 }, synthetic { width = 48, height = 36, frames = 30, size = 2 }";
    try (Dataset v = DataSources.create(TestData.stream("video", block), null)) {
      Sample a = v.load(0, new SplittableRandom(0));
      Sample b = v.load(0, new SplittableRandom(99));
      assertThat(a.input().shape()).containsExactly(6, 3, 4, 32, 32);
      assertThat(a.tokenizerInput()).isNull();
      assertThat(a.input()).isEqualTo(b.input()); // deterministic views
    }
  }

  @Test
  void forStreamUsesTheConfiguredBatchSize() {
    var data = TestData.data("video { batch-size = 2, crop-size = 16, scale-range = [], clip-len = 2, tokenizer-size = 8, "
        + "synthetic { width = 16, height = 16, frames = 4, size = 5 } }, loader.workers = 1");
    try (Dataset ds = DataSources.create(data.getConfig("video"), null);
        DataLoader l = DataLoader.forStream(ds, data, 0, 0, 1, LoaderCursor.start())) {
      assertThat(l.next().size()).isEqualTo(2);
      assertThat(l.batchesPerEpoch()).isEqualTo(2);
    }
  }

  @Test
  void allSixFactoriesAreIndexedAsExtensions() throws Exception {
    List<String> lines = new ArrayList<>();
    for (var url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
      try (var r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
        r.lines().filter(s -> !s.startsWith("#")).forEach(lines::add);
      }
    }
    for (var f : DataSources.builtIn().values()) {
      assertThat(lines).contains(f.getClass().getName());
    }
    assertThat(DataSources.builtIn().keySet())
        .containsExactly("synthetic", "image-folder", "image-list", "video-list", "video-folder", "raw-frames");
  }
}
